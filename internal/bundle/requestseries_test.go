package bundle

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// TestSeriesReadsTheTotalOrOneKindOfAPathsLog: a path's log of a mix holds
// the untagged total and a tagged series per kind; the path's series is
// the total alone, each kind's series its own intervals, and the
// end-to-end series still every interval.
func TestSeriesReadsTheTotalOrOneKindOfAPathsLog(t *testing.T) {
	dir := t.TempDir()
	// writeLog: interval i holds i+1 values, the odd ones tagged "b".
	data := writeLog(t, time.Unix(1_700_000_000, 0), 4)
	for _, name := range []string{SyncLog, AsyncE2ELog} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		series Series
		want   int64
	}{
		{SyncSeries, 1 + 3},
		{RequestSeries(SyncSeries, "b"), 2 + 4},
		{RequestSeries(SyncSeries, "c"), 0},
		{E2ESeries, 1 + 2 + 3 + 4},
	} {
		h, err := tt.series.Merge(dir)
		if err != nil {
			t.Fatal(err)
		}
		var each int64
		if err := tt.series.Each(dir, func(h *hdr.Histogram) error { each += h.TotalCount(); return nil }); err != nil {
			t.Fatal(err)
		}
		if h.TotalCount() != tt.want || each != tt.want {
			t.Errorf("%s: Merge counts %d, Each %d; want %d", tt.series.Name, h.TotalCount(), each, tt.want)
		}
	}
}

func TestRequestTagHoldsNoSpaceOrComma(t *testing.T) {
	for name, want := range map[string]string{"checkout": "checkout", "GET /users": "GET_/users", "GET /a,b": "GET_/a_b"} {
		if got := RequestTag(name); got != want {
			t.Errorf("RequestTag(%q) = %q, want %q", name, got, want)
		}
	}
	if s := RequestSeries(AcceptSeries, "GET /x"); s.Name != "async.accept.requests.GET /x" || s.Tag != "GET_/x" || s.File != AsyncAcceptLog {
		t.Errorf("RequestSeries = %+v", s)
	}
}
