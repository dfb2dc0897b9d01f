package agent

import (
	"math/rand/v2"
	"slices"
	"time"
)

// MaxOccurrences bounds how often one action's schedule may fire.
const MaxOccurrences = 10000

// Schedule says when an action fires, counted from the experiment's start:
// at fixed offsets (At), or every interval (Every), first at Start, each
// occurrence moved by a seeded uniform jitter within ±Jitter and kept at
// least MinGap after the one before, until Times occurrences or Duration
// after Start, whichever comes first.
type Schedule struct {
	At       []time.Duration
	Every    time.Duration
	Start    time.Duration // the first occurrence of Every; the experiment file's default is Every
	Jitter   time.Duration
	MinGap   time.Duration
	Times    int           // 0: no count limit
	Duration time.Duration // 0: no time limit
}

// Offsets lists when the action fires, in order, drawing the jitter from
// rng. Nothing fires at or after until (the experiment's deadline), and at
// most MaxOccurrences times.
func (s Schedule) Offsets(rng *rand.Rand, until time.Duration) []time.Duration {
	if s.Every <= 0 {
		var out []time.Duration
		for _, at := range s.At {
			if at < until {
				out = append(out, at)
			}
		}
		slices.Sort(out)
		return out[:min(len(out), MaxOccurrences)]
	}
	var out []time.Duration
	for k := 0; len(out) < MaxOccurrences && (s.Times == 0 || k < s.Times); k++ {
		t := s.Start + time.Duration(k)*s.Every
		if s.Jitter > 0 {
			t += time.Duration(rng.Int64N(int64(2*s.Jitter)+1)) - s.Jitter
		}
		if len(out) > 0 {
			t = max(t, out[len(out)-1]+s.MinGap)
		}
		t = max(t, 0)
		if t >= until || (s.Duration > 0 && t > s.Start+s.Duration) {
			break
		}
		out = append(out, t)
	}
	return out
}

// Last is the latest an occurrence may come without counting the minimum
// gap's push: for checking a schedule against a deadline before it runs.
// It is -1 for an Every schedule without a bound.
func (s Schedule) Last() time.Duration {
	if s.Every <= 0 {
		if len(s.At) == 0 {
			return 0
		}
		return slices.Max(s.At)
	}
	switch {
	case s.Times > 0 && s.Duration > 0:
		return min(s.Start+time.Duration(s.Times-1)*s.Every+s.Jitter, s.Start+s.Duration)
	case s.Times > 0:
		return s.Start + time.Duration(s.Times-1)*s.Every + s.Jitter
	case s.Duration > 0:
		return s.Start + s.Duration
	}
	return -1
}
