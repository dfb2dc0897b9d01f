package run

import (
	"encoding/json"
	"io"
	"math"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/hist"
	"github.com/loadchaos/loadgen/internal/pace"
)

// timeline writes timeline.jsonl: one line per second per path, and the
// events. Both paths' collectors, the lag sampler and the chaos journal
// write to it, so it takes a lock, and it keeps the first write error for
// Err: a writer of an event has no one to hand it to.
type timeline struct {
	mu    sync.Mutex
	enc   *json.Encoder
	err   error
	watch func(bundle.TimelineLine) // see watchLines
	// observe, when set, is given each second too: the Prometheus
	// histograms are fed from here. Set before any second is written.
	observe func(path, group string, iv *hist.Interval)
}

func newTimeline(w io.Writer) *timeline { return &timeline{enc: json.NewEncoder(w)} }

// second writes one second of one path: completions are counted in the
// second they finished; offered is what the schedule asked for in it.
func (tl *timeline) second(path, group string, offer *offered, missed *pace.PerSecond, iv *hist.Interval) error {
	if tl.observe != nil {
		tl.observe(path, group, iv)
	}
	s := hist.Summarize(iv.Latency)
	line := bundle.TimelineLine{
		TS: float64(iv.Index) * iv.Width.Seconds(), Path: path, Group: group,
		Completed: iv.Outcomes(), OK: iv.Counts[drive.OK], Errors: iv.Outcomes() - iv.Counts[drive.OK],
		P50MS: s.P50, P90MS: s.P90, P99MS: s.P99, MaxMS: s.Max,
	}
	if line.Errors > 0 {
		line.Classes = errorClasses(iv)
	}
	line.Offered = offer.at(iv.Index)
	line.Missed = missed.At(int(iv.Index))
	return tl.write(line)
}

// watchLines has f see every line written from now on, under the lock:
// the live figures the chaos conditions are checked against.
func (tl *timeline) watchLines(f func(bundle.TimelineLine)) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	tl.watch = f
}

func (tl *timeline) write(line bundle.TimelineLine) error {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	err := tl.enc.Encode(line)
	if err != nil && tl.err == nil {
		tl.err = err
	}
	if tl.watch != nil {
		tl.watch(line)
	}
	return err
}

// Err is the first error any write met.
func (tl *timeline) Err() error {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return tl.err
}

// offered counts what the schedule asks for in each second. It walks a
// schedule of its own only as far as the timeline has reached, so nothing
// is walked before the load starts, and the walk of a second costs about
// what the pacer spends on it. Both paths' collectors ask, so it locks.
type offered struct {
	mu     sync.Mutex
	sched  *pace.Schedule
	counts []int64 // by second, up to the last second asked for
}

func newOffered(shape pace.Shape, duration time.Duration, seg pace.Segment) *offered {
	return &offered{sched: pace.NewSegmentSchedule(shape, duration, seg)}
}

// at is the count of second i; zero past the schedule and on a nil offered.
func (o *offered) at(i int64) int64 {
	if o == nil || i < 0 {
		return 0
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for int64(len(o.counts)) <= i {
		if o.sched.Over() {
			return 0
		}
		end := time.Duration(len(o.counts)+1) * time.Second
		var n int64
		for _, ok := o.sched.NextBefore(end); ok; _, ok = o.sched.NextBefore(end) {
			n++
		}
		o.counts = append(o.counts, n)
	}
	return o.counts[i]
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}
