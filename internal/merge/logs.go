package merge

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
)

// reorderSlack is how far apart in time a log's intervals of different
// tags may be written: consumer groups' intervals are written each by
// their own collector. An interval is written once every segment's log has
// moved this far past it.
const reorderSlack = 5 * time.Second

// second is one merged interval of one tag.
type second struct {
	tag   string
	start time.Time
	width time.Duration
	h     *hdr.Histogram
}

// logFigures is what merging a log learns besides the log itself: each
// tag's whole-run histogram, and each merged interval's percentiles, for
// the timeline.
type logFigures struct {
	totals  map[string]*hdr.Histogram
	seconds map[secondKey]hist.LatencyMS
}

type secondKey struct {
	tag   string
	start int64 // Unix milliseconds
}

// openLogs opens name in every segment that has it; none: nil.
func openLogs(segs []segment, name string) ([]*bundle.LogReader, func(), error) {
	var files []*os.File
	closeAll := func() {
		for _, f := range files {
			f.Close()
		}
	}
	var readers []*bundle.LogReader
	for _, s := range segs {
		f, err := os.Open(filepath.Join(s.dir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("%s: %w", s.dir, err)
		}
		files = append(files, f)
		readers = append(readers, bundle.NewLogReader(f, filepath.Join(s.dir, name)))
	}
	return readers, closeAll, nil
}

// mergeLog merges the per-second log name of every segment into out, in
// time order, adding the intervals of one tag that start at the same
// instant. It holds at most reorderSlack of merged intervals, whatever
// the number of segments.
func mergeLog(segs []segment, name string, out *bundle.Log) (*logFigures, error) {
	readers, closeAll, err := openLogs(segs, name)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	fig := &logFigures{totals: map[string]*hdr.Histogram{}, seconds: map[secondKey]hist.LatencyMS{}}
	heads := make([]*hdr.Histogram, len(readers))
	for i, r := range readers {
		if heads[i], err = next(r); err != nil {
			return nil, err
		}
	}
	pending := map[secondKey]*second{}
	flush := func(before int64) error {
		var ready []*second
		for k, s := range pending {
			if k.start < before {
				ready = append(ready, s)
				delete(pending, k)
			}
		}
		slices.SortFunc(ready, func(a, b *second) int {
			return cmp.Or(a.start.Compare(b.start), cmp.Compare(a.tag, b.tag))
		})
		for _, s := range ready {
			if err := fig.add(s, out); err != nil {
				return err
			}
		}
		return nil
	}
	for {
		i := earliest(heads)
		if i < 0 {
			return fig, flush(1 << 62)
		}
		h := heads[i]
		k := secondKey{h.Tag(), h.StartTimeMs()}
		if s, ok := pending[k]; ok {
			s.h.Merge(h)
		} else {
			pending[k] = &second{tag: h.Tag(), start: time.UnixMilli(h.StartTimeMs()),
				width: time.Duration(h.EndTimeMs()-h.StartTimeMs()) * time.Millisecond, h: h}
		}
		if heads[i], err = next(readers[i]); err != nil {
			return nil, err
		}
		if j := earliest(heads); j >= 0 {
			if err := flush(heads[j].StartTimeMs() - reorderSlack.Milliseconds()); err != nil {
				return nil, err
			}
		}
	}
}

// add writes one merged interval and notes its figures.
func (f *logFigures) add(s *second, out *bundle.Log) error {
	f.seconds[secondKey{s.tag, s.start.UnixMilli()}] = hist.Summarize(s.h)
	total, ok := f.totals[s.tag]
	if !ok {
		total = hist.New()
		f.totals[s.tag] = total
	}
	total.Merge(s.h)
	return out.WriteTagged(&hist.Interval{Start: s.start, Width: s.width, Latency: s.h}, s.tag)
}

// next is r's next interval; nil at its end.
func next(r *bundle.LogReader) (*hdr.Histogram, error) {
	h, err := r.Next()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	return h, err
}

// earliest is the index of the head that starts first; -1 when all ended.
func earliest(heads []*hdr.Histogram) int {
	best := -1
	for i, h := range heads {
		if h != nil && (best < 0 || h.StartTimeMs() < heads[best].StartTimeMs()) {
			best = i
		}
	}
	return best
}

// mergeTotals adds up the segments' whole-run histograms, tag by tag.
func mergeTotals(segs []segment) (map[string]*hdr.Histogram, error) {
	readers, closeAll, err := openLogs(segs, bundle.TotalsLog)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	totals := map[string]*hdr.Histogram{}
	for _, r := range readers {
		for {
			h, err := next(r)
			if err != nil {
				return nil, err
			}
			if h == nil {
				break
			}
			if t, ok := totals[h.Tag()]; ok {
				t.Merge(h)
			} else {
				totals[h.Tag()] = h
			}
		}
	}
	return totals, nil
}
