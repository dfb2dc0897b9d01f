package report

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// withOrder is the synthetic run as if it had keyed its messages by entity,
// 4 events per key: billing broke the order by redeliveries only.
func withOrder(t *testing.T) *bundle.Summary {
	t.Helper()
	s := readSummary(t, "synthetic")
	s.Async.EventsPerKey, s.Async.KeySpacing = 4, 50
	for name, v := range map[string][3]int64{"billing": {12, 0, 12}, "email": {0, 0, 0}} {
		g := s.Async.Groups[name]
		g.OrderViolations, g.OrderViolationsFirst, g.OrderViolationsRedelivered = &v[0], &v[1], &v[2]
	}
	return s
}

func TestTextShowsEachGroupsOrderViolations(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, withOrder(t)); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^order per key\n  4 events per key, 50 requests apart; a violation is an event completed after a later event of its key`),
		regexp.MustCompile(`(?m)^  billing +12 +0 +12 +\d+$`),
		regexp.MustCompile(`(?m)^  email +0 +0 +0 +\d+$`),
	} {
		if !want.MatchString(text) {
			t.Errorf("no line matching %s in\n%s", want, text)
		}
	}
	b.Reset()
	if err := Text(&b, readSummary(t, "synthetic")); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "order per key") {
		t.Error("a run without keys shows an order table")
	}
}

func TestHTMLTabulatesOrderViolations(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	if err := withOrder(t).Encode(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, bundle.SummaryFile), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	page := renderHTML(t, dir)
	if !regexp.MustCompile(`<th scope="row"[^>]*>billing</th><td>12</td><td>0</td><td>12</td>`).MatchString(page) {
		t.Error("the page has no row of billing's order violations: 12, 0 first, 12 redelivered")
	}
}
