package hist

import (
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// The range and precision of every latency histogram, in nanoseconds.
const (
	LowestNS  = int64(time.Microsecond)
	HighestNS = int64(time.Hour)
	SigFigs   = 3
)

// New returns an empty dense latency histogram.
func New() *hdr.Histogram { return hdr.New(LowestNS, HighestNS, SigFigs) }

// CountsLen is the length of a dense histogram's counts of this geometry.
var CountsLen = len(New().Export().Counts)

// NewCounts returns the counts of an empty dense histogram, to add
// histograms into index by index (see FromCounts).
func NewCounts() []int64 { return make([]int64, CountsLen) }

// FromCounts is the histogram whose counts are counts (of NewCounts).
func FromCounts(counts []int64) *hdr.Histogram {
	return hdr.Import(&hdr.Snapshot{LowestTrackableValue: LowestNS, HighestTrackableValue: HighestNS, SignificantFigures: SigFigs, Counts: counts})
}

func newPacked() *hdr.PackedHistogram { return hdr.NewPacked(LowestNS, HighestNS, SigFigs) }

// clamp keeps a duration inside the histogram's range, so that a value out of
// range is recorded at the edge rather than lost.
func clamp(d time.Duration) int64 { return min(max(int64(d), LowestNS), HighestNS) }

// LatencyMS is the percentile summary of a latency histogram, in milliseconds.
type LatencyMS struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p999"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// Summarize reads the percentiles of h. An empty histogram gives zeros.
func Summarize(h *hdr.Histogram) LatencyMS {
	if h.TotalCount() == 0 {
		return LatencyMS{}
	}
	ms := func(ns int64) float64 { return float64(ns) / 1e6 }
	v := h.ValueAtPercentilesSlice([]float64{50, 90, 99, 99.9})
	return LatencyMS{P50: ms(v[0]), P90: ms(v[1]), P99: ms(v[2]), P999: ms(v[3]), Max: ms(h.Max()), Mean: h.Mean() / 1e6}
}
