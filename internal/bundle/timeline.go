package bundle

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Timeline line kinds: Path names a per-second line; Event names a moment.
const (
	PathSync     = "sync"
	PathAsync    = "async"     // accept: the 202 or the broker's ack
	PathAsyncE2E = "async.e2e" // completions seen, per group
	PathAsyncLag = "async.lag" // consumer lag, per group

	EventChaos = "chaos" // an action of the chaos journal
	EventStall = "stall" // a consumer group with lag that made no progress
)

// TimelineLine is one line of timeline.jsonl: either one second of one path
// (Path set; TS is the second's start) or one event (Event set).
type TimelineLine struct {
	TS    float64 `json:"t_s"`
	Path  string  `json:"path,omitempty"`
	Event string  `json:"event,omitempty"`
	Group string  `json:"group,omitempty"`

	Offered   int64            `json:"offered,omitempty"`   // what the schedule asked for in the second
	Missed    int64            `json:"missed,omitempty"`    // of those, skipped late or dropped by the generator
	Completed int64            `json:"completed,omitempty"` // outcomes that finished in the second
	OK        int64            `json:"ok,omitempty"`
	Errors    int64            `json:"errors,omitempty"`
	Classes   map[string]int64 `json:"error_classes,omitempty"`
	P50MS     float64          `json:"p50_ms,omitempty"`
	P90MS     float64          `json:"p90_ms,omitempty"`
	P99MS     float64          `json:"p99_ms,omitempty"`
	MaxMS     float64          `json:"max_ms,omitempty"`
	Lag       int64            `json:"lag,omitempty"`
	// PartitionLag is Lag on each partition, indexed by partition number
	// (async.lag lines).
	PartitionLag []int64 `json:"partition_lag,omitempty"`

	Action string `json:"action,omitempty"` // for chaos events
	Target string `json:"target,omitempty"`
	PID    int    `json:"pid,omitempty"`
}

// maxTimelineLineBytes bounds one line of timeline.jsonl: a line is a few
// hundred bytes, more with many error classes.
const maxTimelineLineBytes = 1 << 20

// MaxTimelineAheadS bounds how far a per-second line's second may run past
// the number of lines before it. A run writes a line per path per second
// from the first second on, so a second far ahead of the lines read is a
// corrupt file, and a reader that keeps figures per second would allocate
// for every second up to it.
const MaxTimelineAheadS = 3600

// ReadTimeline reads a bundle's timeline.jsonl line by line. A line longer
// than 1 MiB, that is not a timeline line, or a per-second line (Path set)
// whose second is before the run or more than MaxTimelineAheadS past the
// lines before it is an error naming the file and line, without quoting
// it: each is called with seconds it can index by.
func ReadTimeline(dir string, each func(TimelineLine) error) error {
	f, err := os.Open(filepath.Join(dir, TimelineFile))
	if err != nil {
		return fmt.Errorf("read timeline: %w", err)
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	lines.Buffer(make([]byte, 64*1024), maxTimelineLineBytes)
	n := 0
	for lines.Scan() {
		n++
		var l TimelineLine
		if err := json.Unmarshal(lines.Bytes(), &l); err != nil {
			return fmt.Errorf("%s:%d: %w", TimelineFile, n, describeJSON(err))
		}
		if l.Path != "" && !(l.TS >= 0 && l.TS < float64(n+MaxTimelineAheadS)) {
			return fmt.Errorf("%s:%d: t_s: want a second of the run, at most %d past the lines before it", TimelineFile, n, MaxTimelineAheadS)
		}
		if err := each(l); err != nil {
			return err
		}
	}
	if errors.Is(lines.Err(), bufio.ErrTooLong) {
		return fmt.Errorf("%s:%d: line longer than %d bytes", TimelineFile, n+1, maxTimelineLineBytes)
	}
	if err := lines.Err(); err != nil {
		return fmt.Errorf("read timeline: %w", err)
	}
	return nil
}

// MaxByPartition keeps, partition by partition, the higher of into's lag
// and lags', growing into to hold every partition lags has.
func MaxByPartition(into, lags []int64) []int64 {
	for p, lag := range lags {
		if p == len(into) {
			into = append(into, 0)
		}
		into[p] = max(into[p], lag)
	}
	return into
}
