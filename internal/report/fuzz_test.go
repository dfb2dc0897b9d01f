package report

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/report/reporttest"
)

// FuzzTimelineCharts: whatever timeline.jsonl holds, reading it for the
// charts never panics, allocates by the lines it reads rather than by the
// seconds they claim, and gives every series a value per second; an error
// names the file.
func FuzzTimelineCharts(f *testing.F) {
	steady, err := os.ReadFile(filepath.Join("testdata", "steady", bundle.TimelineFile))
	if err != nil {
		f.Fatal(err)
	}
	synthetic, err := os.ReadFile(filepath.Join(bundles.Dir(f, reporttest.Options{}), bundle.TimelineFile))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(steady), string(synthetic[:min(len(synthetic), 4096)]), "", "{}\n",
		`{"t_s":3600.4,"path":"async.e2e","group":"g","completed":1,"ok":1,"p50_ms":1,"p99_ms":2}` + "\n",
		`{"t_s":2,"path":"sync","completed":3,"errors":3,"error_classes":{"5xx":3}}` + "\n" + `{"t_s":1,"event":"stall","group":"g"}`,
	} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, bundle.TimelineFile), data, 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		tl, err := readTimeline(dir)
		var charts []chart
		if err == nil {
			charts = []chart{tl.latencyChart(), tl.ratesChart(), tl.lagChart(), tl.errorsChart()}
		}
		runtime.ReadMemStats(&after)
		lines := bytes.Count(data, []byte("\n")) + 1
		if grown, bound := after.TotalAlloc-before.TotalAlloc, uint64(4<<20+lines*64<<10); grown > bound {
			t.Fatalf("%d lines allocated %d bytes", lines, grown)
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), bundle.TimelineFile+":") {
				t.Fatalf("%q does not name the file", err)
			}
			return
		}
		if tl.length > lines+bundle.MaxTimelineAheadS {
			t.Fatalf("%d seconds from %d lines", tl.length, lines)
		}
		for _, c := range charts {
			for _, s := range c.Series {
				if len(s.Values) != len(c.X) {
					t.Fatalf("chart %s, %s: %d values for %d seconds", c.ID, s.Label, len(s.Values), len(c.X))
				}
			}
		}
	})
}
