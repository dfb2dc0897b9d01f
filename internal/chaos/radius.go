package chaos

import (
	"fmt"
	"math"
)

// Radius is the blast radius: how many of the processes a selector matches
// one action hits. Set at most one field; with none set it is one process.
type Radius struct {
	Count   int     // this many (more than match: all of them)
	Percent float64 // this share of the matches, rounded up, above 0 up to 100
	All     bool    // every match
}

// Of is how many of n matches the radius takes.
func (r Radius) Of(n int) int {
	switch {
	case r.All:
		return n
	case r.Percent > 0:
		return min(n, int(math.Ceil(r.Percent/100*float64(n))))
	case r.Count > 0:
		return min(n, r.Count)
	}
	return min(n, 1)
}

// String says it as "1 of", "3 of", "50% of", "all".
func (r Radius) String() string {
	switch {
	case r.All:
		return "all"
	case r.Percent > 0:
		return fmt.Sprintf("%g%% of", r.Percent)
	}
	return fmt.Sprintf("%d of", max(r.Count, 1))
}
