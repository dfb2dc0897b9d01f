package pace

import (
	"sync/atomic"
	"time"
)

// PerSecond counts events by the second they belong to, from one writer,
// while others read: what a timeline needs of a count kept on a hot path.
type PerSecond struct{ counts []atomic.Int64 }

// NewPerSecond counts over d; events past it are counted in the last second.
func NewPerSecond(d time.Duration) *PerSecond {
	return &PerSecond{counts: make([]atomic.Int64, max(int((d+time.Second-1)/time.Second), 1))}
}

// add counts one event at offset at; a nil PerSecond counts nothing.
func (p *PerSecond) add(at time.Duration) {
	if p == nil {
		return
	}
	p.counts[min(max(int(at/time.Second), 0), len(p.counts)-1)].Add(1)
}

// At is the count of second s; zero outside the range or on a nil PerSecond.
func (p *PerSecond) At(s int) int64 {
	if p == nil || s < 0 || s >= len(p.counts) {
		return 0
	}
	return p.counts[s].Load()
}
