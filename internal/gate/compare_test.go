package gate

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/report/reporttest"
)

// copyBundle copies the bundle in dir, but the files named in leave out.
func copyBundle(t *testing.T, dir string, leaveOut ...string) string {
	t.Helper()
	out := t.TempDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if slices.Contains(leaveOut, e.Name()) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestCompare(t *testing.T) {
	base := bundles.Dir(t, reporttest.Options{})
	slower := bundles.Dir(t, reporttest.Options{Slowdown: 1.2})

	got, err := Compare(copyBundle(t, base), base, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("Compare with the default figures: %d results, want 3: %+v", len(got), got)
	}
	for _, c := range got {
		if !c.OK || c.Value != 0 {
			t.Errorf("identical bundles: %+v, want ok with 0%% regression", c)
		}
	}

	got, err = Compare(slower, base, []string{"sync.latency_ms.p99", "async.accept_latency_ms.p50", "sync.latency_ms.mean"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range got {
		// every latency drawn is 1.2 times the baseline's: about +20% at HDR's 3-digit precision
		if c.OK || math.Abs(c.Value-20) > 0.5 {
			t.Errorf("20%% slower: %+v, want a failure near 20", c)
		}
	}
	if want := "sync.latency_ms.p99 regression <= 10%"; got[0].Expr != want {
		t.Errorf("Expr = %q, want %q", got[0].Expr, want)
	}

	got, err = Compare(base, slower, []string{"sync.latency_ms.max"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !got[0].OK || got[0].Value > -15 {
		t.Errorf("faster than the baseline: %+v, want ok and about -17%%", got[0])
	}
}

func TestCompareErrors(t *testing.T) {
	base := bundles.Dir(t, reporttest.Options{})
	noAsync := copyBundle(t, base, bundle.AsyncE2ELog)
	tests := []struct {
		figures []string
		want    string
	}{
		{[]string{"sync.latency.p99"}, `baseline figure "sync.latency.p99": want`},          // not a latency log
		{[]string{"sync.latency_ms.p1"}, `statistic "p1": want mean, max or a percentile`},  // one digit
		{[]string{"sync.latency_ms.median"}, `statistic "median"`},                          // not a statistic
		{[]string{"async.e2e_latency_ms.p99"}, "current bundle: read async.e2e.hlog: open"}, // the log is missing
	}
	for _, tt := range tests {
		_, err := Compare(noAsync, base, tt.figures, 10)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Compare(%q) = %v, want an error containing %q", tt.figures, err, tt.want)
		}
		if badFigure := !strings.Contains(tt.want, "bundle"); errors.Is(err, ErrFigure) != badFigure {
			t.Errorf("Compare(%q) = %v: errors.Is ErrFigure is %v, want %v", tt.figures, err, !badFigure, badFigure)
		}
	}
	// with no figures named, only the logs both bundles have are compared
	got, err := Compare(noAsync, base, nil, 10)
	if err != nil || len(got) != 2 {
		t.Errorf("Compare without e2e log: %+v, %v; want 2 results", got, err)
	}
}

// TestCompareRefusesABundleOfAnotherSchema: a baseline (or current) bundle
// whose summary.json has another schema, none, or is missing is an error
// naming the file, not a comparison of logs that may mean something else.
func TestCompareRefusesABundleOfAnotherSchema(t *testing.T) {
	base := bundles.Dir(t, reporttest.Options{})
	data, err := os.ReadFile(filepath.Join(base, bundle.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, summary, want string
	}{
		// A schema this loadgen does not read: named.
		{"another schema", strings.Replace(string(data), bundle.Schema, "loadgen.summary/v2", 1), `schema "loadgen.summary/v2"`},
		// No schema at all.
		{"no schema", strings.Replace(string(data), `"schema": "`+bundle.Schema+`",`, "", 1), "schema"},
		// A schema that is not a string.
		{"schema not a string", strings.Replace(string(data), `"`+bundle.Schema+`"`, "1", 1), "schema"},
		// No summary.json.
		{"no summary", "", "no such file"},
	}
	for _, tt := range tests {
		other := copyBundle(t, base, bundle.SummaryFile)
		if tt.summary != "" {
			os.WriteFile(filepath.Join(other, bundle.SummaryFile), []byte(tt.summary), 0o644)
		}
		for _, order := range [][2]string{{base, other}, {other, base}} {
			which := map[bool]string{true: "baseline bundle: ", false: "current bundle: "}[order[1] == other]
			_, err := Compare(order[0], order[1], nil, 10)
			if err == nil || !strings.HasPrefix(err.Error(), which) || !strings.Contains(err.Error(), bundle.SummaryFile) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: %v, want an error starting %q naming %s and %s", tt.name, err, which, bundle.SummaryFile, tt.want)
			}
		}
	}
}

func TestPercentileOf(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"p50", 50},      // two digits
		{"p99", 99},      // the usual one
		{"p999", 99.9},   // the third digit is a decimal
		{"p9999", 99.99}, // and the fourth
		{"p00", -1},      // zero is no percentile
		{"p9", -1},       // too short
		{"p9x", -1},      // not digits
		{"99", -1},       // no p
	}
	for _, tt := range tests {
		got, err := percentileOf(tt.in)
		if tt.want < 0 {
			if err == nil {
				t.Errorf("percentileOf(%q) = %v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("percentileOf(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseRegression(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"10%", 10},     // with the sign
		{"10", 10},      // without: still percent
		{" 2.5% ", 2.5}, // spaces
		{"-1%", -1},     // negative is refused
		{"ten", -1},     // not a number
		{"Inf", -1},     // infinity would never fail
	}
	for _, tt := range tests {
		got, err := ParseRegression(tt.in)
		if tt.want < 0 {
			if err == nil {
				t.Errorf("ParseRegression(%q) = %v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseRegression(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}
