package report

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// withScaleOut is the synthetic run as if 2 consumers had been added to
// its billing group at 15.8 s, and 3 later to email, with no backlog.
func withScaleOut(t *testing.T) *bundle.Summary {
	t.Helper()
	s := readSummary(t, "synthetic")
	before, after, ratio, caughtUp := 57.8, 171.0, 2.958, 8.135
	s.Async.ScaleOut = []bundle.ScaleOut{
		{TS: 15.843, Group: "billing", Added: 2, Backlog: 645, RateBeforePerS: &before, BeforeS: 5, RateAfterPerS: &after, AfterS: 5,
			RateRatio: &ratio, CaughtUpS: &caughtUp},
		{TS: 20, Group: "email", Added: 3},
	}
	return s
}

func TestTextShowsTheDrainRateBeforeAndAfterAScaleOut(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, withScaleOut(t)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^scale-out\n  consumers added to a group`),
		regexp.MustCompile(`(?m)^  group +at s +added +backlog +before /s +after /s +after / before +caught up s$`),
		regexp.MustCompile(`(?m)^  billing +15\.8 +2 +645 +57\.8 \(5 s\) +171\.0 \(5 s\) +2\.96 +8\.1$`),
		regexp.MustCompile(`(?m)^  email +20\.0 +3 +0 +- +- +- +-$`),
	} {
		if !want.MatchString(b.String()) {
			t.Errorf("no line matching %s in\n%s", want, b.String())
		}
	}
}

func TestHTMLTabulatesAScaleOut(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{bundle.SyncLog, bundle.TimelineFile} {
		data, err := os.ReadFile(filepath.Join("testdata", "steady", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := withScaleOut(t).Encode(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, bundle.SummaryFile), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	page := renderHTML(t, dir)
	if !regexp.MustCompile(`<th scope="row"[^>]*>billing</th><td>15.8</td><td>2</td><td>645</td><td>57.8 \(5 s\)</td><td>171.0 \(5 s\)</td><td>2.96</td><td>8.1</td>`).MatchString(page) {
		t.Error("the page has no row of billing's scale-out")
	}
}
