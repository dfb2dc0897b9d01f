package run

import (
	"cmp"
	"math"
	"slices"
	"sync"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/loadchaos/loadgen/internal/hist"
)

// latencySeconds exports the run's latency as Prometheus histograms, one
// series per path and consumer group, or per path and kind of request of a
// mix (whose sum over request is the path's), each carrying native buckets and
// classic ones (for a Prometheus that does not scrape native histograms).
// It is fed the per-second intervals the collectors merge anyway: the
// workers' recorders do no more work, and the histograms trail the run by
// the collectors' grace, reaching the run's totals once it has drained.
type latencySeconds struct {
	desc   *prometheus.Desc
	mu     sync.Mutex
	series map[seriesKey]*hdr.Histogram // cumulative over the run
}

type seriesKey struct{ path, group, request string }

// nativeSchema 3 makes each native bucket 2^(1/8) ≈ 1.09 times as wide as
// the one before: quantiles within 5 %, at most 8 buckets per doubling.
const nativeSchema = 3

// classicBounds are the classic buckets' upper bounds, in seconds.
var classicBounds = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

func newLatencySeconds() *latencySeconds {
	return &latencySeconds{
		desc: prometheus.NewDesc("loadgen_latency_seconds",
			"Latency of successful requests from the intended send time (async.e2e: to the completion seen), by path and consumer group, and by kind of request of a mix.",
			[]string{"path", "group", "request"}, nil),
		series: map[seriesKey]*hdr.Histogram{},
	}
}

var _ prometheus.Collector = (*latencySeconds)(nil)

// ensure makes the series exist, empty, so that dashboards see it from the start.
func (l *latencySeconds) ensure(k seriesKey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seriesOf(k)
}

func (l *latencySeconds) seriesOf(k seriesKey) *hdr.Histogram {
	h, ok := l.series[k]
	if !ok {
		h = hist.New()
		l.series[k] = h
	}
	return h
}

// add merges one interval's latency into the series.
func (l *latencySeconds) add(k seriesKey, iv *hist.Interval) {
	if iv.Latency.TotalCount() == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seriesOf(k).Merge(iv.Latency)
}

func (l *latencySeconds) Describe(ch chan<- *prometheus.Desc) { ch <- l.desc }

func (l *latencySeconds) Collect(ch chan<- prometheus.Metric) {
	l.mu.Lock()
	defer l.mu.Unlock()
	keys := make([]seriesKey, 0, len(l.series))
	for k := range l.series {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b seriesKey) int {
		return cmp.Or(cmp.Compare(a.path, b.path), cmp.Compare(a.group, b.group), cmp.Compare(a.request, b.request))
	})
	for _, k := range keys {
		m, err := l.metricOf(l.series[k], k)
		if err != nil {
			ch <- prometheus.NewInvalidMetric(l.desc, err)
			continue
		}
		ch <- m
	}
}

// metricOf turns a cumulative hdr histogram into one Prometheus histogram
// with both kinds of buckets. Each hdr bucket's count goes to the native
// and classic buckets holding its highest value; the sum is hdr's mean
// times the count, as exact as hdr's three significant figures.
func (l *latencySeconds) metricOf(h *hdr.Histogram, k seriesKey) (prometheus.Metric, error) {
	count := uint64(h.TotalCount())
	sum := h.Mean() * float64(count) / 1e9
	native := map[int]int64{}
	classic := make(map[float64]uint64, len(classicBounds))
	for _, b := range h.Distribution() {
		if b.Count == 0 {
			continue
		}
		seconds := float64(b.To) / 1e9
		native[nativeIndex(seconds)] += b.Count
		if i, found := slices.BinarySearch(classicBounds, seconds); i < len(classicBounds) || found {
			classic[classicBounds[i]] += uint64(b.Count)
		}
	}
	var cumulative uint64
	for _, bound := range classicBounds {
		cumulative += classic[bound]
		classic[bound] = cumulative
	}
	nm, err := prometheus.NewConstNativeHistogram(l.desc, count, sum, native, nil, 0, nativeSchema, 0, time.Time{}, k.path, k.group, k.request)
	if err != nil {
		return nil, err
	}
	cm, err := prometheus.NewConstHistogram(l.desc, count, sum, classic, k.path, k.group, k.request)
	if err != nil {
		return nil, err
	}
	return dualHistogram{native: nm, classic: cm}, nil
}

// nativeIndex is the native bucket of schema nativeSchema holding v > 0:
// bucket i holds (2^((i-1)/8), 2^(i/8)].
func nativeIndex(v float64) int {
	return int(math.Ceil(math.Log2(v) * (1 << nativeSchema)))
}

// dualHistogram writes one histogram with native and classic buckets, as
// client_golang's own histograms do when given both.
type dualHistogram struct{ native, classic prometheus.Metric }

func (d dualHistogram) Desc() *prometheus.Desc { return d.native.Desc() }

func (d dualHistogram) Write(out *dto.Metric) error {
	var native dto.Metric
	if err := d.native.Write(&native); err != nil {
		return err
	}
	if err := d.classic.Write(out); err != nil { // a histogram of its own, made for out
		return err
	}
	n, h := native.Histogram, out.Histogram
	h.Schema, h.ZeroThreshold, h.ZeroCount = n.Schema, n.ZeroThreshold, n.ZeroCount
	h.PositiveSpan, h.PositiveDelta = n.PositiveSpan, n.PositiveDelta
	return nil
}
