package merge

import (
	"cmp"
	"encoding/json"
	"io"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
)

// lineKey is one per-second line: a path (and group) in one second.
type lineKey struct {
	path, group string
	ms          int64 // t_s in milliseconds
}

// timeline is the merged timeline: per-second lines added up, lag the
// highest any segment saw (every segment watches the same groups), events
// as the lowest segment that has any recorded them.
type timeline struct {
	lines  map[lineKey]*bundle.TimelineLine
	events []bundle.TimelineLine
	lastS  float64 // the last second any line is of
}

func readTimelines(segs []segment) (*timeline, error) {
	tl := &timeline{lines: map[lineKey]*bundle.TimelineLine{}}
	for _, s := range segs {
		var events []bundle.TimelineLine
		err := bundle.ReadTimeline(s.dir, func(l bundle.TimelineLine) error {
			if l.Path == "" {
				events = append(events, l)
				return nil
			}
			tl.add(l)
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(tl.events) == 0 {
			tl.events = events
		}
	}
	return tl, nil
}

func (tl *timeline) add(l bundle.TimelineLine) {
	tl.lastS = max(tl.lastS, l.TS)
	k := lineKey{l.Path, l.Group, int64(math.Round(l.TS * 1000))}
	m, ok := tl.lines[k]
	if !ok {
		m = &bundle.TimelineLine{TS: l.TS, Path: l.Path, Group: l.Group}
		tl.lines[k] = m
	}
	m.Offered += l.Offered
	m.Missed += l.Missed
	m.Completed += l.Completed
	m.OK += l.OK
	m.Errors += l.Errors
	m.Lag = max(m.Lag, l.Lag)
	m.PartitionLag = bundle.MaxByPartition(m.PartitionLag, l.PartitionLag)
	if len(l.Classes) > 0 {
		m.Classes = addClasses(m.Classes, l.Classes)
	}
}

// write writes the merged lines in time order, each second's percentiles
// from the merged histogram of its log (figures by path).
func (tl *timeline) write(w io.Writer, started time.Time, figures map[string]*logFigures) error {
	enc := json.NewEncoder(w)
	keys := slices.SortedFunc(maps.Keys(tl.lines), func(a, b lineKey) int {
		return cmp.Or(cmp.Compare(a.ms, b.ms), cmp.Compare(a.path, b.path), cmp.Compare(a.group, b.group))
	})
	events := slices.Clone(tl.events)
	for _, k := range keys {
		for len(events) > 0 && events[0].TS <= float64(k.ms)/1000 {
			if err := enc.Encode(events[0]); err != nil {
				return err
			}
			events = events[1:]
		}
		l := tl.lines[k]
		if f := figures[k.path]; f != nil {
			s := f.second(k.group, started.UnixMilli()+k.ms)
			l.P50MS, l.P90MS, l.P99MS, l.MaxMS = s.P50, s.P90, s.P99, s.Max
		}
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	for _, e := range events {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return nil
}

// second is the percentiles of the merged interval of group (its tag, or
// the untagged series when the log has one series) that starts at ms.
func (f *logFigures) second(group string, ms int64) hist.LatencyMS {
	if s, ok := f.seconds[secondKey{group, ms}]; ok {
		return s
	}
	return f.seconds[secondKey{"", ms}]
}
