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

// secondKey is one merged interval: a tag's interval that starts at one
// instant.
type secondKey struct {
	tag   string
	start int64 // Unix milliseconds
}

// second is the counts of one merged interval, added up as the segments'
// logs are read.
type second struct {
	secondKey
	end    int64
	counts []int64
}

// logFigures is what merging a log learns besides the log itself: each
// tag's whole-run counts, and each merged interval's percentiles, for the
// timeline.
type logFigures struct {
	totals  map[string][]int64
	seconds map[secondKey]hist.LatencyMS
}

// openLogs opens name in every segment that has it.
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
// instant bucket by bucket. It holds at most reorderSlack of merged
// intervals, whatever the number of segments. The segments' logs are
// decoded in goroutines of their own, which is most of the work.
func mergeLog(segs []segment, name string, out *bundle.Log) (*logFigures, error) {
	readers, closeAll, err := openLogs(segs, name)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	done := make(chan struct{})
	defer close(done)
	feeds := make([]*feed, len(readers))
	for i, r := range readers {
		feeds[i] = startFeed(r, done)
	}
	m := &logMerger{fig: &logFigures{totals: map[string][]int64{}, seconds: map[secondKey]hist.LatencyMS{}},
		pending: map[secondKey]*second{}, out: out}
	heads := make([]*interval, len(feeds))
	for i, f := range feeds {
		if heads[i], err = f.next(); err != nil {
			return nil, err
		}
	}
	for {
		i := earliest(heads)
		if i < 0 {
			return m.fig, m.flush(1 << 62)
		}
		head := heads[i]
		k := secondKey{head.Tag, head.StartMS}
		s, ok := m.pending[k]
		if !ok {
			s = &second{secondKey: k, end: head.EndMS, counts: m.newCounts()}
			m.pending[k] = s
		}
		head.sparse.AddTo(s.counts)
		feeds[i].recycle(head)
		if heads[i], err = feeds[i].next(); err != nil {
			return nil, err
		}
		if j := earliest(heads); j >= 0 {
			if err := m.flush(heads[j].StartMS - reorderSlack.Milliseconds()); err != nil {
				return nil, err
			}
		}
	}
}

// interval is one decoded interval of a segment's log.
type interval struct {
	bundle.Head
	sparse bundle.Sparse
}

// feed decodes one log ahead of the merge, in a goroutine of its own.
type feed struct {
	out  chan *interval
	free chan *interval
	err  error // set before out closes
}

const feedAhead = 8

func startFeed(r *bundle.LogReader, done <-chan struct{}) *feed {
	f := &feed{out: make(chan *interval, feedAhead), free: make(chan *interval, feedAhead+2)}
	go func() {
		defer close(f.out)
		for {
			var iv *interval
			select {
			case iv = <-f.free:
			default:
				iv = &interval{}
			}
			head, err := r.NextSparse(&iv.sparse)
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				f.err = err
				return
			}
			iv.Head = head
			select {
			case f.out <- iv:
			case <-done:
				return
			}
		}
	}()
	return f
}

// next is the log's next interval; nil at its end.
func (f *feed) next() (*interval, error) {
	iv, ok := <-f.out
	if !ok {
		return nil, f.err
	}
	return iv, nil
}

// recycle hands a merged interval's buffers back to the decoder.
func (f *feed) recycle(iv *interval) {
	select {
	case f.free <- iv:
	default:
	}
}

// logMerger writes merged intervals once no segment can add to them.
type logMerger struct {
	fig     *logFigures
	pending map[secondKey]*second
	free    [][]int64 // counts of intervals written, to reuse
	out     *bundle.Log
}

func (m *logMerger) newCounts() []int64 {
	if n := len(m.free); n > 0 {
		c := m.free[n-1]
		m.free = m.free[:n-1]
		clear(c)
		return c
	}
	return hist.NewCounts()
}

// flush writes, in time order, the merged intervals that start before
// before (Unix milliseconds).
func (m *logMerger) flush(before int64) error {
	var ready []*second
	for k, s := range m.pending {
		if k.start < before {
			ready = append(ready, s)
			delete(m.pending, k)
		}
	}
	slices.SortFunc(ready, func(a, b *second) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.tag, b.tag)) })
	for _, s := range ready {
		h := hist.FromCounts(s.counts)
		m.fig.seconds[s.secondKey] = hist.Summarize(h)
		total, ok := m.fig.totals[s.tag]
		if !ok {
			total = hist.NewCounts()
			m.fig.totals[s.tag] = total
		}
		addCounts(total, s.counts)
		iv := &hist.Interval{Start: time.UnixMilli(s.start), Width: time.Duration(s.end-s.start) * time.Millisecond, Latency: h}
		if err := m.out.WriteTagged(iv, s.tag); err != nil {
			return err
		}
		m.free = append(m.free, s.counts)
	}
	return nil
}

func addCounts(into, from []int64) {
	for i, c := range from {
		into[i] += c
	}
}

// peek is r's next interval's head; nil at its end.
func peek(r *bundle.LogReader) (*bundle.Head, error) {
	h, err := r.Peek()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &h, nil
}

// earliest is the index of the head that starts first; -1 when all ended.
func earliest(heads []*interval) int {
	best := -1
	for i, h := range heads {
		if h != nil && (best < 0 || h.StartMS < heads[best].StartMS) {
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
	counts := map[string][]int64{}
	for _, r := range readers {
		for {
			head, err := peek(r)
			if err != nil {
				return nil, err
			}
			if head == nil {
				break
			}
			c, ok := counts[head.Tag]
			if !ok {
				c = hist.NewCounts()
				counts[head.Tag] = c
			}
			if _, err := r.AddTo(c); err != nil {
				return nil, err
			}
		}
	}
	totals := map[string]*hdr.Histogram{}
	for tag, c := range counts {
		totals[tag] = hist.FromCounts(c)
	}
	return totals, nil
}
