package hist

import (
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// part is one worker's record of one interval, handed to the Collector whole.
type part struct {
	index   int64
	latency *hdr.PackedHistogram
	service *hdr.PackedHistogram
	counts  []int64
	kinds   []*kindPart // by kind, each made at its first outcome; nil without kinds
}

// kindPart is one kind's share of a part.
type kindPart struct {
	latency *hdr.PackedHistogram
	counts  []int64
}

// Recorder is one worker's own record of what it saw. It is not safe for
// concurrent use: each worker has its own, so recording takes no lock.
type Recorder struct {
	c    *Collector
	open []*part // intervals not yet handed over, oldest first
}

// Record counts one outcome of the given class (class 0 is success) that
// finished at done. Successful outcomes also record their latency (from the
// intended send time) and service time (from the actual send); a zero
// service time is not recorded.
func (r *Recorder) Record(done time.Time, class int, latency, service time.Duration) {
	r.RecordKind(done, 0, class, latency, service)
}

// RecordKind records as Record an outcome of a request of the given kind
// (from 0, below Config.Kinds), in the total and apart for its kind.
func (r *Recorder) RecordKind(done time.Time, kind, class int, latency, service time.Duration) {
	idx := r.c.indexOf(done)
	p := r.partFor(idx)
	p.counts[class]++
	if class == 0 {
		p.latency.RecordValue(clamp(latency))
		if service > 0 {
			p.service.RecordValue(clamp(service))
		}
	}
	if p.kinds != nil {
		kp := p.kinds[kind]
		if kp == nil {
			kp = &kindPart{latency: newPacked(), counts: make([]int64, r.c.classes)}
			p.kinds[kind] = kp
		}
		kp.counts[class]++
		if class == 0 {
			kp.latency.RecordValue(clamp(latency))
		}
	}
	if r.open[0].index < r.c.current() {
		r.Flush()
	}
}

func (r *Recorder) partFor(idx int64) *part {
	for _, p := range r.open {
		if p.index == idx {
			return p
		}
	}
	p := &part{index: idx, latency: newPacked(), service: newPacked(), counts: make([]int64, r.c.classes)}
	if r.c.kinds > 0 {
		p.kinds = make([]*kindPart, r.c.kinds)
	}
	r.open = append(r.open, p)
	for i := len(r.open) - 1; i > 0 && r.open[i].index < r.open[i-1].index; i-- {
		r.open[i], r.open[i-1] = r.open[i-1], r.open[i]
	}
	return p
}

// Flush hands over every interval the Collector's clock has left behind.
// Workers call it when they wake idle at an interval boundary.
func (r *Recorder) Flush() {
	now := r.c.current()
	n := 0
	for n < len(r.open) && r.open[n].index < now {
		r.c.give(r.open[n])
		n++
	}
	r.open = append(r.open[:0], r.open[n:]...)
}

// Close hands over everything, the current interval included. The Recorder
// must not be used after.
func (r *Recorder) Close() {
	for _, p := range r.open {
		r.c.give(p)
	}
	r.open = nil
}
