package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/report/reporttest"
)

// embeddedData reads back the JSON the page embeds.
func embeddedData(t *testing.T, page string) pageData {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/json" id="report-data">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no report-data in the page")
	}
	var d pageData
	if err := json.Unmarshal([]byte(m[1]), &d); err != nil {
		t.Fatalf("report-data: %v", err)
	}
	return d
}

func renderHTML(t *testing.T, dir string) string {
	t.Helper()
	var b bytes.Buffer
	if err := HTML(&b, dir); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestHTML(t *testing.T) {
	page := renderHTML(t, bundles.Dir(t, reporttest.Options{}))
	d := embeddedData(t, page)

	if len(d.Phases) != 3 || len(d.Events) != 3 {
		t.Errorf("%d phases and %d events, want 3 (baseline, fault, recovery) and 3 (two faults, one stall)", len(d.Phases), len(d.Events))
	}
	wantSeries := map[string]int{
		"latency":  8, // p50 and p99 of sync, async accept and each group's end-to-end
		"spectrum": 4, // sync, async accept, each group's end-to-end
		"rates":    6, // offered, sync answered and ok, async accepted, each group's completed
		"lag":      2, // each group
		"errors":   3, // sync 5xx and refused, async 5xx
	}
	for _, c := range d.Charts {
		if c.Empty != "" || len(c.Series) != wantSeries[c.ID] {
			t.Errorf("chart %s: %d series (empty: %q), want %d", c.ID, len(c.Series), c.Empty, wantSeries[c.ID])
		}
		for _, s := range c.Series {
			if len(s.Values) != len(c.X) {
				t.Errorf("chart %s, %s: %d values for %d x", c.ID, s.Label, len(s.Values), len(c.X))
			}
		}
		delete(wantSeries, c.ID)
	}
	if len(wantSeries) > 0 {
		t.Errorf("charts missing: %v", wantSeries)
	}
	for _, want := range []string{"uPlot", "prefers-color-scheme: dark", "Content-Security-Policy", "phases", "consumer groups"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// self-contained: nothing to fetch
	for _, m := range regexp.MustCompile(`(?i)(?:src|href)\s*=\s*"([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "data:") {
			t.Errorf("the page refers to %q", m[1])
		}
	}
}

func TestHTMLSyncOnly(t *testing.T) {
	d := embeddedData(t, renderHTML(t, filepath.Join("testdata", "steady")))
	for _, c := range d.Charts {
		empty := c.ID == "lag"
		if (c.Empty != "") != empty {
			t.Errorf("chart %s of a sync-only run: empty %q", c.ID, c.Empty)
		}
	}
}

func TestNumJSON(t *testing.T) {
	tests := []struct {
		in   num
		want string
	}{
		{1.23456, "1.235"}, // rounded to 3 decimals
		{100, "100"},       // no trailing zeros
		{noValue, "null"},  // no value
		{0, "0"},           // zero is a value
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("Marshal(%v) = %s, %v; want %s", float64(tt.in), got, err, tt.want)
		}
	}
}
