package pace

import (
	"iter"
	"time"
)

// Burst is one burst a shape offers: its rate is at the peak from Start
// until End.
type Burst struct {
	Start, End time.Duration
}

// Peak is the middle of the burst: the moment the faults of a drill aimed
// at the top of the load land, with as much burst behind as ahead.
func (b Burst) Peak() time.Duration { return b.Start + (b.End-b.Start)/2 }

// Bursts yields the bursts of the BurstTrains in s that start before over,
// in order, placed where Stages and Looped play them; a burst cut short by
// the end of its stage or of over ends there. Other shapes have none. It
// walks lazily, so asking for the first few costs nothing on a long run.
func Bursts(s Shape, over time.Duration) iter.Seq[Burst] {
	return func(yield func(Burst) bool) { burstsOf(s, 0, over, yield) }
}

// burstsOf yields the bursts of s played from offset until offset+over,
// and reports whether the caller wants more.
func burstsOf(s Shape, offset, over time.Duration, yield func(Burst) bool) bool {
	switch s := s.(type) {
	case *BurstTrain:
		if s.Period <= 0 || s.Width <= 0 {
			return true
		}
		for i := time.Duration(0); i*s.Period < over; i++ {
			start := i*s.Period + s.offset(i)
			if start >= over {
				return true
			}
			if !yield(Burst{Start: offset + start, End: offset + min(start+s.Width, over)}) {
				return false
			}
		}
	case Stages:
		for _, st := range s {
			if !burstsOf(st.Shape, offset, min(st.For, over), yield) {
				return false
			}
			offset, over = offset+st.For, over-st.For
			if over <= 0 {
				return true
			}
		}
	case Looped:
		if s.Period <= 0 {
			return true
		}
		for ; over > 0; offset, over = offset+s.Period, over-s.Period {
			if !burstsOf(s.Shape, offset, min(s.Period, over), yield) {
				return false
			}
		}
	}
	return true
}
