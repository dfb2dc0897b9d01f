package hist

import (
	"context"
	"sync/atomic"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Interval is what one path saw in one interval (or, for the total, in the
// whole run): latency and service time of successful outcomes, and a count of
// outcomes per class.
type Interval struct {
	Index   int64
	Start   time.Time
	Width   time.Duration
	Latency *hdr.Histogram // from the intended send time
	Service *hdr.Histogram // from the actual send time
	Counts  []int64        // by class; class 0 is success
	// Kinds is the same interval for each kind of request of a mix, in
	// the kinds' order, without Service; nil without kinds.
	Kinds []*Interval
}

func newInterval(index int64, start time.Time, width time.Duration, classes, kinds int) *Interval {
	iv := &Interval{Index: index, Start: start, Width: width, Latency: New(), Service: New(), Counts: make([]int64, classes)}
	if kinds > 0 {
		iv.Kinds = make([]*Interval, kinds)
		for i := range iv.Kinds {
			iv.Kinds[i] = &Interval{Index: index, Start: start, Width: width, Latency: New(), Counts: make([]int64, classes)}
		}
	}
	return iv
}

// Outcomes is the number of outcomes of every class.
func (iv *Interval) Outcomes() int64 {
	var n int64
	for _, c := range iv.Counts {
		n += c
	}
	return n
}

func (iv *Interval) add(p *part) {
	p.latency.MergeInto(iv.Latency)
	p.service.MergeInto(iv.Service)
	for i, c := range p.counts {
		iv.Counts[i] += c
	}
	for k, kp := range p.kinds {
		if kp == nil {
			continue
		}
		kp.latency.MergeInto(iv.Kinds[k].Latency)
		for i, c := range kp.counts {
			iv.Kinds[k].Counts[i] += c
		}
	}
}

// Config says how a Collector cuts time and what it does with a finished interval.
type Config struct {
	Width   time.Duration // interval width; default 1 s
	Classes int           // number of outcome classes; default 1 (success only)
	// Kinds is the number of kinds of request (a mix) recorded apart as
	// well as in the total (Interval.Kinds); default 0, none apart.
	Kinds int
	// Grace is how long an interval stays open after it ends, waiting for
	// workers still busy with a request to hand their part over. Set it
	// above the longest request (the request timeout). Default 2 s.
	Grace time.Duration
	// Emit receives each interval once it closes, in order, gaps included.
	Emit func(*Interval) error
}

// Collector merges what the Recorders of one path hand over into one
// histogram per interval and one for the whole run. Run it in its own
// goroutine; only that goroutine touches the merged histograms.
type Collector struct {
	start   time.Time
	width   time.Duration
	classes int
	kinds   int
	grace   int64
	emit    func(*Interval) error

	handoff   chan *part
	finishing chan struct{}
	stopped   chan struct{}
	epoch     atomic.Int64 // the interval the wall clock is in
	boundary  atomic.Pointer[chan struct{}]
	recent    atomic.Pointer[LatencyMS]

	// Owned by Run.
	open      map[int64]*Interval
	next      int64 // the next interval to close
	total     *Interval
	misplaced int64
	err       error
}

// NewCollector starts counting intervals at start.
func NewCollector(start time.Time, cfg Config) *Collector {
	if cfg.Width <= 0 {
		cfg.Width = time.Second
	}
	if cfg.Classes <= 0 {
		cfg.Classes = 1
	}
	if cfg.Grace <= 0 {
		cfg.Grace = 2 * time.Second
	}
	c := &Collector{
		start:     start,
		width:     cfg.Width,
		classes:   cfg.Classes,
		kinds:     cfg.Kinds,
		grace:     max(int64((cfg.Grace+cfg.Width-1)/cfg.Width), 2), // 2: Recent reads the interval before last
		emit:      cfg.Emit,
		handoff:   make(chan *part, 1024),
		finishing: make(chan struct{}),
		stopped:   make(chan struct{}),
		open:      map[int64]*Interval{},
		total:     newInterval(-1, start, 0, cfg.Classes, cfg.Kinds),
	}
	first := make(chan struct{})
	c.boundary.Store(&first)
	return c
}

// NewRecorder returns a Recorder for one worker.
func (c *Collector) NewRecorder() *Recorder { return &Recorder{c: c} }

// Boundary is closed when the clock next crosses an interval boundary: an
// idle worker waits on it to hand over its finished intervals.
func (c *Collector) Boundary() <-chan struct{} { return *c.boundary.Load() }

func (c *Collector) current() int64 { return c.epoch.Load() }

func (c *Collector) indexOf(t time.Time) int64 {
	return max(int64(t.Sub(c.start)/c.width), 0)
}

// give hands a part to Run; once the Collector has stopped, the part is dropped.
func (c *Collector) give(p *part) {
	select {
	case c.handoff <- p:
	case <-c.stopped:
	}
}

// Run merges hand-overs and closes intervals as the clock passes them, until
// Finish is called or ctx is done.
func (c *Collector) Run(ctx context.Context) {
	defer close(c.stopped)
	timer := time.NewTimer(time.Until(c.start.Add(c.width)))
	defer timer.Stop()
	for {
		select {
		case p := <-c.handoff:
			c.merge(p)
		case <-timer.C:
			now := c.indexOf(time.Now())
			c.epoch.Store(now)
			next := make(chan struct{})
			close(*c.boundary.Swap(&next))
			c.noteRecent(now - 2)
			c.closeUpTo(now - 1 - c.grace)
			timer.Reset(time.Until(c.start.Add(time.Duration(now+1) * c.width)))
		case <-c.finishing:
			for {
				select {
				case p := <-c.handoff:
					c.merge(p)
				default:
					last := c.indexOf(time.Now())
					for idx := range c.open {
						last = max(last, idx)
					}
					c.closeUpTo(last)
					return
				}
			}
		case <-ctx.Done():
			return
		}
	}
}

// noteRecent keeps the percentiles of an interval that has had a whole
// interval's time to receive its parts, for progress lines.
func (c *Collector) noteRecent(idx int64) {
	if iv, ok := c.open[idx]; ok {
		s := Summarize(iv.Latency)
		c.recent.Store(&s)
	}
}

// Recent is the latency summary of the interval before last, as merged so
// far: close to final, for progress lines. Zero before there is one.
func (c *Collector) Recent() LatencyMS {
	if s := c.recent.Load(); s != nil {
		return *s
	}
	return LatencyMS{}
}

func (c *Collector) merge(p *part) {
	c.total.add(p)
	if p.index < c.next {
		c.misplaced += p.latency.TotalCount()
		return
	}
	iv, ok := c.open[p.index]
	if !ok {
		iv = c.newInterval(p.index)
		c.open[p.index] = iv
	}
	iv.add(p)
}

func (c *Collector) newInterval(idx int64) *Interval {
	return newInterval(idx, c.start.Add(time.Duration(idx)*c.width), c.width, c.classes, c.kinds)
}

// closeUpTo emits every interval up to and including last, in order.
func (c *Collector) closeUpTo(last int64) {
	for ; c.next <= last; c.next++ {
		iv, ok := c.open[c.next]
		if !ok {
			iv = c.newInterval(c.next)
		}
		delete(c.open, c.next)
		if c.emit != nil && c.err == nil {
			c.err = c.emit(iv)
		}
	}
}

// Finish closes every remaining interval and returns the whole run's total.
// Call it after every Recorder has been closed, and while Run is running; it
// returns the first error Emit returned. Misplaced counts successful
// outcomes handed over after their interval had closed: they are in the
// total but not in any interval.
func (c *Collector) Finish() (total *Interval, misplaced int64, err error) {
	close(c.finishing)
	<-c.stopped
	return c.total, c.misplaced, c.err
}
