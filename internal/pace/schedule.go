package pace

import "time"

// integrationStep is how finely a schedule samples its shape. A shape that
// changes rate inside a step moves the requests of that step by at most this.
const integrationStep = 100 * time.Microsecond

// Schedule yields the intended send offsets of an open-model run. Request k
// (counting from 0) is due when the integral of the shape's rate reaches k, so
// a constant 1,000 req/s for 5 s yields exactly 5,000 offsets, 1 ms apart,
// starting at 0. Offsets are rounded to the microsecond.
//
// A Schedule is a pure iterator: it never looks at a clock. It is lazy: the
// work of each call is in proportion to the offsets it returns and the
// stretch of the shape it walks, never to the schedule's length.
type Schedule struct {
	shape   Shape
	end     time.Duration
	segment Segment
	last    uint64 // the position of the request last returned

	stepStart time.Duration // start of the current integration step
	stepRate  float64       // the shape's rate at the middle of that step
	integral  float64       // requests owed by the shape up to stepStart
	next      float64       // the integral at which the next request is due
}

// NewSchedule returns the schedule of shape from offset 0 up to (not
// including) end.
func NewSchedule(shape Shape, end time.Duration) *Schedule {
	return NewSegmentSchedule(shape, end, Segment{})
}

// NewSegmentSchedule returns the requests of the schedule of shape that
// belong to segment: the same intended times as in the whole schedule.
func NewSegmentSchedule(shape Shape, end time.Duration, segment Segment) *Schedule {
	s := &Schedule{shape: shape, end: end, segment: segment}
	s.stepRate = shape.Rate(integrationStep / 2)
	return s
}

// Last is the position in the whole schedule, from 0, of the request the
// last call returned: its sequence number, the same in every segment.
func (s *Schedule) Last() uint64 { return s.last }

// Next returns the next intended offset, or false once the schedule is over.
// A long silence in the shape is walked through in one call: a caller that
// must stay responsive uses NextBefore.
func (s *Schedule) Next() (time.Duration, bool) { return s.NextBefore(s.end) }

// NextBefore returns the next intended offset if it is before limit. When
// none is, it returns false having walked the shape no further than about
// limit, and the offset stays to be returned by a later call: a pacer so
// waits out a silence of hours a little at a time, answering cancellation.
// Over tells the end of the schedule from a silence.
func (s *Schedule) NextBefore(limit time.Duration) (time.Duration, bool) {
	limit = min(limit, s.end)
	for s.stepStart < limit {
		if s.stepRate > 0 {
			into := max(s.next-s.integral, 0) / s.stepRate // seconds into this step
			if into < integrationStep.Seconds() {
				at := (s.stepStart + time.Duration(into*float64(time.Second))).Round(time.Microsecond)
				if at >= limit {
					if limit == s.end {
						s.stepStart = s.end
					}
					return 0, false
				}
				k := uint64(s.next)
				s.next++
				if !s.segment.Owns(k) {
					continue
				}
				s.last = k
				return at, true
			}
		}
		s.integral += s.stepRate * integrationStep.Seconds()
		s.stepStart += integrationStep
		s.stepRate = s.shape.Rate(s.stepStart + integrationStep/2)
	}
	s.stepStart = min(s.stepStart, s.end)
	return 0, false
}

// Over reports whether every offset of the schedule has been returned.
func (s *Schedule) Over() bool { return s.stepStart >= s.end }
