package run

import (
	"context"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/drive"
)

// lagWatch samples the lag of consumer groups on one topic once a second
// and writes it on the timeline: an async.lag line per group, with its lag
// per partition. It keeps each group's last and worst figures. The
// embedded drill's groups and the user's own (--lag-group) are watched
// alike, so phases, reports and metrics count both the same way.
type lagWatch struct {
	sampler *drive.LagSampler
	tl      *timeline
	start   time.Time
	names   []string
	// observe, when set, is called after each successful sample with the
	// lags of the groups in the order of names.
	observe func(now time.Time, ts float64, lags []int64)

	mu     sync.Mutex
	last   []int64   // by group
	max    []int64   // by group
	maxPer [][]int64 // by group, by partition

	ticks *everySecond
}

// startLagWatch starts sampling groups on topic until finish; a missed
// sample is a gap on the timeline, not a failure.
func startLagWatch(ctx context.Context, sampler *drive.LagSampler, tl *timeline, start time.Time, names []string,
	observe func(now time.Time, ts float64, lags []int64)) *lagWatch {
	w := &lagWatch{sampler: sampler, tl: tl, start: start, names: names, observe: observe,
		last: make([]int64, len(names)), max: make([]int64, len(names)), maxPer: make([][]int64, len(names))}
	w.ticks = startEverySecond(ctx, false, w.sample)
	return w
}

// sample reads every group's lag, bounded to within its second.
func (w *lagWatch) sample(ctx context.Context, now time.Time) {
	sampleCtx, cancel := context.WithTimeout(ctx, 900*time.Millisecond)
	byPartition, err := w.sampler.SamplePartitions(sampleCtx, w.names...)
	cancel()
	if err == nil {
		w.record(now, byPartition)
	}
}

// record keeps one sample's figures and writes its lines. A sample before
// the start (a --start-at still ahead) has no second of the run to go to.
func (w *lagWatch) record(now time.Time, byPartition [][]int64) {
	if now.Before(w.start) {
		return
	}
	ts := float64(int(now.Sub(w.start).Seconds()))
	lags := make([]int64, len(w.names))
	w.mu.Lock()
	for i, parts := range byPartition {
		for _, l := range parts {
			lags[i] += l
		}
		w.maxPer[i] = bundle.MaxByPartition(w.maxPer[i], parts)
		w.last[i], w.max[i] = lags[i], max(w.max[i], lags[i])
	}
	w.mu.Unlock()
	for i, name := range w.names {
		w.tl.write(bundle.TimelineLine{TS: ts, Path: bundle.PathAsyncLag, Group: name, Lag: lags[i], PartitionLag: byPartition[i]})
	}
	if w.observe != nil {
		w.observe(now, ts, lags)
	}
}

// finish stops sampling, waits until the last sample is written and
// closes the sampler.
func (w *lagWatch) finish() {
	w.ticks.finish()
	w.sampler.Close()
}

// lagOf is group i's last sampled lag.
func (w *lagWatch) lagOf(i int) int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last[i]
}

// lastWorst is the highest lag of the last sample, for progress lines.
func (w *lagWatch) lastWorst() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return highest(w.last)
}

// worst is the highest lag any group had in any sample.
func (w *lagWatch) worst() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return highest(w.max)
}

// highest is the largest of lags, 0 for none.
func highest(lags []int64) int64 {
	var n int64
	for _, l := range lags {
		n = max(n, l)
	}
	return n
}

// summary is each group's worst lag, in all and per partition.
func (w *lagWatch) summary() map[string]*bundle.LagGroup {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make(map[string]*bundle.LagGroup, len(w.names))
	for i, name := range w.names {
		out[name] = &bundle.LagGroup{MaxLag: w.max[i], MaxLagByPartition: append([]int64(nil), w.maxPer[i]...)}
	}
	return out
}
