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

// timeline writes timeline.jsonl: one line per second per path. Both paths'
// collectors write to it, so it takes a lock, once a second each.
type timeline struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func newTimeline(w io.Writer) *timeline { return &timeline{enc: json.NewEncoder(w)} }

// second writes one second of one path: completions are counted in the
// second they finished; offered is what the schedule asked for in it.
func (tl *timeline) second(path, group string, offered []int64, missed *pace.PerSecond, iv *hist.Interval) error {
	s := hist.Summarize(iv.Latency)
	line := bundle.TimelineLine{
		TS: float64(iv.Index) * iv.Width.Seconds(), Path: path, Group: group,
		Completed: iv.Outcomes(), OK: iv.Counts[drive.OK], Errors: iv.Outcomes() - iv.Counts[drive.OK],
		P50MS: s.P50, P90MS: s.P90, P99MS: s.P99, MaxMS: s.Max,
	}
	if line.Errors > 0 {
		line.Classes = errorClasses(iv)
	}
	if iv.Index < int64(len(offered)) {
		line.Offered = offered[iv.Index]
	}
	line.Missed = missed.At(int(iv.Index))
	return tl.write(line)
}

func (tl *timeline) write(line bundle.TimelineLine) error {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return tl.enc.Encode(line)
}

// offeredPerSecond counts what a schedule asks for in each second.
func offeredPerSecond(shape pace.Shape, duration time.Duration) []int64 {
	counts := make([]int64, int(math.Ceil(duration.Seconds())))
	s := pace.NewSchedule(shape, duration)
	for at, ok := s.Next(); ok; at, ok = s.Next() {
		counts[int(at/time.Second)]++
	}
	return counts
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}
