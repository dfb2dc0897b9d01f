package merge

import (
	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
	"github.com/loadchaos/loadgen/profiles"
)

// writeMixLog writes a segment's sync.hlog of one second: the untagged
// total and each kind's tagged series, latencies in ms by tag.
func writeMixLog(t *testing.T, dir string, started time.Time, byTag map[string][]int64) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, bundle.SyncLog))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	log, err := bundle.NewLog(f, started, "test")
	if err != nil {
		t.Fatal(err)
	}
	total, kinds := hist.New(), map[string]*hdr.Histogram{}
	for _, tag := range []string{"checkout", "GET_/x"} {
		kinds[tag] = hist.New()
		for _, v := range byTag[tag] {
			kinds[tag].RecordValue(v * int64(time.Millisecond))
			total.RecordValue(v * int64(time.Millisecond))
		}
	}
	if err := log.Write(&hist.Interval{Start: started, Width: time.Second, Latency: total}); err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"checkout", "GET_/x"} {
		if err := log.WriteTagged(&hist.Interval{Start: started, Width: time.Second, Latency: kinds[tag]}, tag); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMergeAddsUpEachKindOfRequest: the merged log keeps each kind's
// series, summed tag by tag across segments, beside the total; the merged
// summary adds up each kind's counts and takes its latency from that series.
func TestMergeAddsUpEachKindOfRequest(t *testing.T) {
	started := time.Unix(1_700_000_000, 0)
	seg := func(index int, byTag map[string][]int64) segment {
		dir := t.TempDir()
		writeMixLog(t, dir, started, byTag)
		requests := map[string]*bundle.PhaseSync{
			"checkout": {Sent: int64(len(byTag["checkout"])) + 1, OK: int64(len(byTag["checkout"])), Errors: 1, ErrorClass: bundle.ErrorCounts{"5xx": 1}},
			"GET /x":   {Sent: int64(len(byTag["GET_/x"])), OK: int64(len(byTag["GET_/x"]))},
		}
		return segment{dir: dir, summary: &bundle.Summary{Run: bundle.Run{Valid: true, Segment: &bundle.Segment{Index: index, Count: 2}},
			Sync: &bundle.Sync{Requests: requests}}}
	}
	segs := []segment{
		seg(0, map[string][]int64{"checkout": {100, 100}, "GET_/x": {1, 1, 1}}),
		seg(1, map[string][]int64{"checkout": {300}, "GET_/x": {2}}),
	}
	b, err := create(filepath.Join(t.TempDir(), "merged"))
	if err != nil {
		t.Fatal(err)
	}
	lf, err := writeLog(b, segs, bundle.SyncSeries, started)
	if err != nil {
		t.Fatal(err)
	}
	s := mergeSummary(segs, nil, figures{logs: map[string]*logFigures{bundle.SyncSeries.Name: lf}}, profiles.Limits{})

	checkout, x := s.Sync.Requests["checkout"], s.Sync.Requests["GET /x"]
	if checkout == nil || checkout.Sent != 5 || checkout.OK != 3 || checkout.Errors != 2 || checkout.ErrorClass["5xx"] != 2 {
		t.Errorf("merged checkout %+v, want 5 sent, 3 ok, 2 errors of 5xx", checkout)
	}
	if x == nil || x.Sent != 4 || x.OK != 4 {
		t.Errorf("merged GET /x %+v, want 4 sent and ok", x)
	}
	if checkout.LatencyMS.Max < 299 || checkout.LatencyMS.P50 < 99 || x.LatencyMS.Max > 3 {
		t.Errorf("latency of checkout %+v and GET /x %+v, want from their own series: 100-300 ms and 1-2 ms", checkout.LatencyMS, x.LatencyMS)
	}
	if s.Sync.LatencyMS.Max < 299 || s.Sync.LatencyMS.P50 > 3 {
		t.Errorf("the path's latency %+v, want the untagged total of both kinds", s.Sync.LatencyMS)
	}
	for _, tt := range []struct {
		series bundle.Series
		want   int64
	}{{bundle.SyncSeries, 7}, {bundle.RequestSeries(bundle.SyncSeries, "checkout"), 3}, {bundle.RequestSeries(bundle.SyncSeries, "GET /x"), 4}} {
		h, err := tt.series.Merge(b.Dir)
		if err != nil {
			t.Fatal(err)
		}
		if h.TotalCount() != tt.want {
			t.Errorf("the merged log's %s holds %d latencies, want %d", tt.series.Name, h.TotalCount(), tt.want)
		}
	}
}
