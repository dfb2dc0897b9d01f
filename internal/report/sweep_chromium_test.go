package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loadchaos/loadgen/internal/sweep"
)

// gridSweep is a 3x2 grid with two outcomes, every point measured.
func gridSweep() *sweep.File {
	f := &sweep.File{Schema: sweep.Schema, ID: "sweep-test", Profile: "builtin:spike",
		Params: []sweep.Param{
			{Path: "environment.chain", Values: []string{"1", "2", "3"}},
			{Path: "environment.session_timeout", Values: []string{"3s", "6s"}},
		},
		Outcomes: []string{"sync.latency_ms.p99", "sync.error_ratio"},
	}
	for i, chain := range f.Params[0].Values {
		for j, timeout := range f.Params[1].Values {
			p99, errs := float64(40*(i+1)+15*j), 0.02*float64(i+1)+0.01*float64(j) // lines apart, so neither hides the other
			f.Points = append(f.Points, sweep.Point{Values: []string{chain, timeout}, Bundle: "points/p" + chain + timeout,
				Valid: true, ThresholdsOK: true, Outcomes: map[string]*float64{"sync.latency_ms.p99": &p99, "sync.error_ratio": &errs}})
		}
	}
	return f
}

// TestSweepHTMLInChromium opens sweep.html of a grid in headless Chromium,
// as TestHTMLInChromium does report.html, and checks that it loads with no
// console error and no request but the page, and that each outcome's chart
// drew a line per value of the second setting.
func TestSweepHTMLInChromium(t *testing.T) {
	bin := chromiumPath(t)
	path := filepath.Join(t.TempDir(), "sweep.html")
	var page strings.Builder
	if err := SweepHTML(&page, gridSweep()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(page.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	bctx, events := browser(t, bin)
	url := "file://" + path
	if err := chromedp.Do(bctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open the sweep page: %v", err)
	}
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`window.loadgenReport && window.loadgenReport.ready`)); err != nil {
		t.Fatalf("the sweep page did not draw: %v", err)
	}
	charts := drawnCharts(t, bctx)
	if len(charts) != 2 {
		t.Errorf("%d charts drawn, want one per outcome (2)", len(charts))
	}
	for _, c := range charts {
		if !c.Canvas || c.Draws == 0 || len(c.Series) != 2 {
			t.Errorf("chart %s: canvas %v, draws %d, %d lines; want a line per session_timeout (2)", c.ID, c.Canvas, c.Draws, len(c.Series))
			continue
		}
		for _, s := range c.Series {
			if s.Pixels < minSeriesPixels {
				t.Errorf("chart %s: line %q drew %d pixels, want %d or more", c.ID, s.Labels, s.Pixels, minSeriesPixels)
			}
		}
	}
	events.mu.Lock()
	defer events.mu.Unlock()
	if len(events.errors) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(events.errors, "\n"))
	}
	for _, u := range events.requests {
		if u != url {
			t.Errorf("the page made a request: %q", u)
		}
	}
}
