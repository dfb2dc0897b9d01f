package report

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/hist"
	"github.com/loadchaos/loadgen/internal/report/reporttest"
)

// uniform holds 1 ms, 2 ms, ... 10 s: 10,000 values.
func uniform(t *testing.T) *bytes.Buffer {
	t.Helper()
	h := hist.New()
	for v := int64(1); v <= 10000; v++ {
		if err := h.RecordValue(v * 1e6); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := HGRM(&b, h); err != nil {
		t.Fatal(err)
	}
	return &b
}

func TestHGRMGolden(t *testing.T) {
	golden(t, "uniform.hgrm", uniform(t).Bytes())
}

// TestHGRMMatchesHdrHistogram: the same rows and footer as hdrhistogram-go's
// own percentile output (which differs in spacing only), and every row a
// line HdrHistogram's plotter (plotFiles.html) takes: four fields split on
// spaces, the value first and 1/(1-percentile) last.
func TestHGRMMatchesHdrHistogram(t *testing.T) {
	h := hist.New()
	for v := int64(1); v <= 10000; v++ {
		h.RecordValue(v * 1e6)
	}
	var ours, theirs bytes.Buffer
	if err := HGRM(&ours, h); err != nil {
		t.Fatal(err)
	}
	if _, err := h.PercentilesPrint(&theirs, hgrmTicksPerHalfDistance, hgrmUnitRatio); err != nil {
		t.Fatal(err)
	}
	o, th := strings.Split(ours.String(), "\n"), strings.Split(theirs.String(), "\n")
	if len(o) != len(th) {
		t.Fatalf("%d lines, hdrhistogram-go writes %d", len(o), len(th))
	}
	if want := "       Value     Percentile TotalCount 1/(1-Percentile)"; o[0] != want {
		t.Errorf("header %q, want %q", o[0], want)
	}
	for i := 2; i < len(o); i++ {
		a, b := strings.Fields(o[i]), strings.Fields(th[i])
		if strings.HasPrefix(o[i], "#") || o[i] == "" {
			if o[i] != th[i] {
				t.Errorf("line %d: %q, hdrhistogram-go writes %q", i+1, o[i], th[i])
			}
			continue
		}
		last := i+1 < len(o) && strings.HasPrefix(o[i+1], "#")
		if last && len(a) != 3 || !last && len(a) != 4 {
			t.Errorf("line %d: %q has %d fields", i+1, o[i], len(a))
			continue
		}
		if a[0] != b[0] || a[2] != b[2] || !samePercentile(a[1], b[1]) {
			t.Errorf("line %d: %q, hdrhistogram-go writes %q", i+1, o[i], th[i])
		}
		if strings.Contains(o[i], "\t") {
			t.Errorf("line %d: %q: the plotter splits on spaces only", i+1, o[i])
		}
	}
}

func samePercentile(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && strconv.FormatFloat(x, 'f', 6, 64) == strconv.FormatFloat(y, 'f', 6, 64)
}

func TestHGRMEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := HGRM(&b, hist.New()); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "\n"); n != 5 {
		t.Errorf("an empty histogram: %d lines, want header, blank line and footer (5):\n%s", n, b.String())
	}
}

func TestHGRMLog(t *testing.T) {
	var b bytes.Buffer
	if err := HGRMLog(&b, filepath.Join("testdata", "steady"), "sync"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Total count    =          994]") {
		t.Errorf("sync.hgrm of the steady run should count its 994 ok requests:\n%s", tail(b.String()))
	}
	if err := HGRMLog(&b, filepath.Join("testdata", "steady"), "async.accept"); err == nil {
		t.Error("a log the bundle does not have: no error")
	}
	if err := HGRMLog(&b, filepath.Join("testdata", "steady"), "nope"); err == nil {
		t.Error("an unknown log name: no error")
	}
}

func TestWriteHGRMs(t *testing.T) {
	out := t.TempDir()
	written, err := WriteHGRMs(bundles.Dir(t, reporttest.Options{}), out)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 3 {
		t.Fatalf("wrote %q, want sync, async.accept and async.e2e", written)
	}
	for _, path := range written {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := 0
		for s := bufio.NewScanner(f); s.Scan(); {
			lines++
		}
		f.Close()
		if lines < 50 {
			t.Errorf("%s: %d lines", path, lines)
		}
	}
	if _, err := WriteHGRMs(t.TempDir(), out); err == nil {
		t.Error("a directory with no logs: no error")
	}
}

func tail(s string) string { return s[max(0, len(s)-300):] }
