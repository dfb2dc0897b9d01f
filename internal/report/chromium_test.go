package report

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/loadchaos/loadgen/internal/report/reporttest"
)

// chromiumPath finds Debian's chromium. Without one the test skips on a
// developer's machine and fails in CI (CI set), where .ci/run installs it.
func chromiumPath(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "" {
		t.Skip("no chromium binary (apt-get install chromium); in CI this test fails instead")
	}
	t.Fatal("CI is set and no chromium binary is installed: .ci/run must apt-get install chromium")
	return ""
}

// pageEvents is what the browser reported while the page was open.
type pageEvents struct {
	mu       sync.Mutex
	errors   []string // console errors, uncaught exceptions, browser log errors
	warnings []string
	requests []string // URLs the page asked for, the page itself included
}

func (p *pageEvents) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		text := string(ev.Type)
		for _, a := range ev.Args {
			text += " " + string(a.Value) + a.Description
		}
		switch ev.Type {
		case "error", "assert":
			p.errors = append(p.errors, text)
		case "warning":
			p.warnings = append(p.warnings, text)
		}
	case *runtime.EventExceptionThrown:
		p.errors = append(p.errors, "exception "+ev.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		switch ev.Entry.Level {
		case log.EntryLevelError:
			p.errors = append(p.errors, "log "+string(ev.Entry.Source)+": "+ev.Entry.Text)
		case log.EntryLevelWarning:
			p.warnings = append(p.warnings, "log "+string(ev.Entry.Source)+": "+ev.Entry.Text)
		}
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, ev.Request.URL)
	}
}

// chartCheck is what measureCharts finds of one chart.
type chartCheck struct {
	ID     string `json:"id"`
	Canvas bool   `json:"canvas"`
	Draws  int    `json:"draws"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Series []struct {
		Color  string   `json:"color"`
		Labels []string `json:"labels"`
		Pixels int      `json:"pixels"`
	} `json:"series"`
}

// measureCharts counts, in each chart's canvas, the opaque pixels of each
// series colour: lines drawn, not just axes and grid.
const measureCharts = `(() => {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const hex = c => [1, 3, 5].map(i => parseInt(c.slice(i, i + 2), 16));
  return data.charts.filter(spec => !spec.empty).map(spec => {
    const r = { id: spec.id, canvas: false, draws: (window.loadgenReport.charts[spec.id] || {}).draws || 0, series: [] };
    const el = document.getElementById("chart-" + spec.id);
    const cv = el && el.querySelector("canvas");
    if (!cv) return r;
    r.canvas = true; r.width = cv.width; r.height = cv.height;
    const px = cv.getContext("2d").getImageData(0, 0, cv.width, cv.height).data;
    const colors = [...new Set(spec.series.map(s => s.color))];
    const rgb = colors.map(hex);
    const counts = colors.map(() => 0);
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] < 100) continue;
      for (let k = 0; k < rgb.length; k++) {
        if (Math.abs(px[i] - rgb[k][0]) + Math.abs(px[i + 1] - rgb[k][1]) + Math.abs(px[i + 2] - rgb[k][2]) < 40) counts[k]++;
      }
    }
    r.series = colors.map((c, k) => ({ color: c, pixels: counts[k], labels: spec.series.filter(s => s.color === c).map(s => s.label) }));
    return r;
  });
})()`

// minSeriesPixels is how many pixels of its colour a series must have: a
// short line across a few seconds is some hundreds.
const minSeriesPixels = 30

// TestHTMLInChromium opens the report of a synthetic bundle in headless
// Chromium, in the light and the dark colour scheme, and checks that it
// loads with no console error and no request but the page itself, and that
// every chart has drawn every series. LOADGEN_REPORT_SCREENSHOTS=DIR keeps a
// screenshot of each scheme in DIR.
func TestHTMLInChromium(t *testing.T) {
	bin := chromiumPath(t)
	path := filepath.Join(t.TempDir(), "report.html")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := HTML(f, bundles.Dir(t, reporttest.Options{})); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	bctx, events := browser(t, bin)

	url := "file://" + path
	if err := chromedp.Do(bctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open the report: %v", err)
	}
	for _, scheme := range []string{"light", "dark"} {
		if err := chromedp.Do(bctx, setColorScheme(scheme)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`window.loadgenReport && window.loadgenReport.ready && window.loadgenReport.theme === "`+scheme+`"`)); err != nil {
			t.Fatalf("%s: the report did not draw: %v", scheme, err)
		}
		checkCharts(t, scheme, drawnCharts(t, bctx))
		bg, err := chromedp.Run(bctx, chromedp.Evaluate[string](`getComputedStyle(document.body).backgroundColor`))
		if err != nil {
			t.Fatal(err)
		}
		if wantBG := map[string]string{"light": "rgb(255, 255, 255)", "dark": "rgb(13, 17, 23)"}[scheme]; bg != wantBG {
			t.Errorf("%s: background %s, want %s", scheme, bg, wantBG)
		}
		if out := os.Getenv("LOADGEN_REPORT_SCREENSHOTS"); out != "" {
			png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, "report-"+scheme+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	events.mu.Lock()
	defer events.mu.Unlock()
	others := slices.DeleteFunc(slices.Clone(events.requests), func(u string) bool { return u == url })
	t.Logf("console errors: %d, warnings: %d; requests: %d (the page) + %d other", len(events.errors), len(events.warnings),
		len(events.requests)-len(others), len(others))
	for _, w := range events.warnings {
		t.Logf("warning: %s", w)
	}
	if len(events.errors) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(events.errors, "\n"))
	}
	if len(others) > 0 {
		t.Errorf("the page made requests: %q", others)
	}
}

func setColorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

func checkCharts(t *testing.T, scheme string, charts []chartCheck) {
	t.Helper()
	if len(charts) != 5 {
		t.Errorf("%s: %d charts drawn, want 5", scheme, len(charts))
	}
	for _, c := range charts {
		if !c.Canvas || c.Draws == 0 {
			t.Errorf("%s: chart %s: canvas %v, draws %d", scheme, c.ID, c.Canvas, c.Draws)
			continue
		}
		var parts []string
		for _, s := range c.Series {
			parts = append(parts, strings.Join(s.Labels, "+")+" "+strconv.Itoa(s.Pixels))
			if s.Pixels < minSeriesPixels {
				t.Errorf("%s: chart %s: series %q drew %d pixels of %s, want %d or more", scheme, c.ID, s.Labels, s.Pixels, s.Color, minSeriesPixels)
			}
		}
		t.Logf("%s: chart %s (%dx%d, %d draws): %s", scheme, c.ID, c.Width, c.Height, c.Draws, strings.Join(parts, ", "))
	}
}

// browser starts a headless Chromium (bin) for the length of the test, at
// most 90 s, and listens to what its page reports.
func browser(t *testing.T, bin string) (context.Context, *pageEvents) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	)
	t.Cleanup(cancelAlloc)
	events := &pageEvents{}
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithListener(events.listen))
	t.Cleanup(cancelBrowser)
	return bctx, events
}

// drawnCharts measures the page's charts once they have drawn, on the
// frames after the page says it is ready.
func drawnCharts(t *testing.T, bctx context.Context) []chartCheck {
	t.Helper()
	if err := chromedp.Do(bctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	raw, err := chromedp.Run(bctx, chromedp.Evaluate[[]byte](measureCharts))
	if err != nil {
		t.Fatal(err)
	}
	var charts []chartCheck
	if err := json.Unmarshal(raw, &charts); err != nil {
		t.Fatal(err)
	}
	return charts
}
