package phases

import (
	"math"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// drainedFraction is how far under its peak a backlog must fall to count
// as drained: lag sampled once a second rarely reads exactly 0.
const drainedFraction = 0.01

// groupSeconds is one consumer group's completions by second.
type groupSeconds struct {
	completed map[int]int64
	last      int
}

// Backlog finds the run's largest backlog in the bundle's timeline and how
// it drained (see bundle.Backlog); nil when no backlog built up. A group's
// backlog at a second is what the async path had accepted by then less
// what the group had completed: every message, second by second, where
// sampled lag would see it only once a second and not after the last
// sample.
func Backlog(dir string) (*bundle.Backlog, error) {
	groups, accepted, err := readSeconds(dir)
	if err != nil {
		return nil, err
	}
	var best *bundle.Backlog
	for name, g := range groups {
		if b := g.backlog(name, accepted); b != nil && (best == nil || b.Peak > best.Peak) {
			best = b
		}
	}
	return best, nil
}

// readSeconds reads from the bundle's timeline each group's completions
// and the async path's acceptances, by second.
func readSeconds(dir string) (groups map[string]*groupSeconds, accepted map[int]int64, err error) {
	groups, accepted = map[string]*groupSeconds{}, map[int]int64{}
	err = bundle.ReadTimeline(dir, func(l bundle.TimelineLine) error {
		s := int(l.TS) // ReadTimeline bounds it
		switch l.Path {
		case bundle.PathAsyncE2E:
			g := groups[l.Group]
			if g == nil {
				g = &groupSeconds{completed: map[int]int64{}}
				groups[l.Group] = g
			}
			g.completed[s] += l.Completed
			g.last = max(g.last, s)
		case bundle.PathAsync:
			accepted[s] += l.OK
		}
		return nil
	})
	return groups, accepted, err
}

// backlogs is the group's backlog at the end of each second, from 0 to
// its last: accepted by then less completed by then.
func (g *groupSeconds) backlogs(accepted map[int]int64) []int64 {
	backlog := make([]int64, g.last+1)
	var in, out int64
	for s := range backlog {
		in += accepted[s]
		out += g.completed[s]
		backlog[s] = max(in-out, 0)
	}
	return backlog
}

func (g *groupSeconds) backlog(name string, accepted map[int]int64) *bundle.Backlog {
	backlog := g.backlogs(accepted)
	peakS := -1
	for s := range backlog {
		if backlog[s] > 0 && (peakS < 0 || backlog[s] > backlog[peakS]) {
			peakS = s
		}
	}
	if peakS < 0 {
		return nil
	}
	peak := backlog[peakS]
	drained := func(s int) bool { return float64(backlog[s]) <= drainedFraction*float64(peak) }
	rise := peakS
	for rise > 0 && !drained(rise-1) {
		rise--
	}
	b := &bundle.Backlog{Group: name, Peak: peak, PeakS: float64(peakS), ServiceRate: round(mean(g.completed, rise, peakS))}
	until := g.last
	for s := peakS + 1; s <= g.last; s++ {
		if drained(s) {
			observed := float64(s - peakS)
			b.ObservedDrainS, until = &observed, s
			break
		}
	}
	b.ArrivalRate = round(mean(accepted, peakS+1, until))
	if b.ServiceRate > b.ArrivalRate {
		predicted := round(float64(peak) / (b.ServiceRate - b.ArrivalRate))
		b.PredictedDrainS = &predicted
		if b.ObservedDrainS != nil && predicted > 0 {
			e := round(math.Abs(*b.ObservedDrainS-predicted) / predicted)
			b.DrainErrorRatio = &e
		}
	}
	return b
}

// mean is the mean of counts over the seconds from to through, missing
// seconds counting 0; 0 for an empty span.
func mean(counts map[int]int64, from, through int) float64 {
	if through < from {
		return 0
	}
	var sum int64
	for s := from; s <= through; s++ {
		sum += counts[s]
	}
	return float64(sum) / float64(through-from+1)
}
