package report

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// drillAfterABrokerOutage is the synthetic run as a drill bundle after a
// broker outage: 481 jobs answered 503 were completed anyway.
func drillAfterABrokerOutage(t *testing.T) *bundle.Summary {
	t.Helper()
	s := readSummary(t, "synthetic")
	afterRejection := int64(481)
	s.Async.CompletedAfterRejection = &afterRejection
	s.Async.Groups["billing"].CompletedAfterRejection = 481
	return s
}

// TestTextShowsCompletedAfterRejectionNextToUnexpected: the totals and the
// groups table show the jobs completed after a rejection beside
// unexpected, which stays 0.
func TestTextShowsCompletedAfterRejectionNextToUnexpected(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, drillAfterABrokerOutage(t)); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^  lost / pending / duplicated / unexpected +- +0 / - / 2 / 0\n  completed after rejection +- +481$`),
		regexp.MustCompile(`(?m)^  group +completed +failed +lost +pending +duplicated +unexpected +after rejection `),
		regexp.MustCompile(`(?m)^  billing +\d+ +\d+ +\d+ +\d+ +\d+ +0 +481 `),
	} {
		if !want.MatchString(text) {
			t.Errorf("no line matching %s in\n%s", want, text)
		}
	}
}

// TestHTMLShowsCompletedAfterRejection: the page's totals table has the
// row too.
func TestHTMLShowsCompletedAfterRejection(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	if err := drillAfterABrokerOutage(t).Encode(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, bundle.SummaryFile), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	page := renderHTML(t, dir)
	row := regexp.MustCompile(`<th scope="row"[^>]*>completed after rejection</th><td>-</td><td>481</td>`)
	if !row.MatchString(page) {
		t.Error("the page has no totals row: completed after rejection, 481")
	}
}
