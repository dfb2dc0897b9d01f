package pace

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"time"
)

// Shape is an offered rate in requests per second as a function of the time
// since the shape began. It must be pure: the same t gives the same rate.
type Shape interface {
	Rate(t time.Duration) float64
}

// Constant offers the same rate throughout.
type Constant struct{ PerSecond float64 }

func (c Constant) Rate(time.Duration) float64 { return c.PerSecond }

// Ramp moves linearly from From to To over Over, then holds To.
type Ramp struct {
	From, To float64
	Over     time.Duration
}

func (r Ramp) Rate(t time.Duration) float64 {
	if r.Over <= 0 || t >= r.Over {
		return r.To
	}
	return r.From + (r.To-r.From)*float64(t)/float64(r.Over)
}

// Step climbs from From to To in Steps equal steps spread evenly over Over,
// holding each level for Over/Steps. One step is just From; the last step is To.
type Step struct {
	From, To float64
	Steps    int
	Over     time.Duration
}

func (s Step) Rate(t time.Duration) float64 {
	if s.Steps <= 1 || s.Over <= 0 {
		return s.From
	}
	i := int(int64(t) * int64(s.Steps) / int64(s.Over))
	i = min(max(i, 0), s.Steps-1)
	return s.From + (s.To-s.From)*float64(i)/float64(s.Steps-1)
}

// Sine oscillates around Base by ±Amplitude with the given Period, starting at
// Base and rising. Rates below zero are clipped to zero.
type Sine struct {
	Base, Amplitude float64
	Period          time.Duration
}

func (s Sine) Rate(t time.Duration) float64 {
	if s.Period <= 0 {
		return max(s.Base, 0)
	}
	phase := 2 * math.Pi * float64(t%s.Period) / float64(s.Period)
	return max(s.Base+s.Amplitude*math.Sin(phase), 0)
}

// BurstTrain offers Base with bursts of Peak lasting Width, one per Period.
// Each burst starts at the beginning of its period moved later by a random
// offset in [0, Jitter), drawn from Seed and the burst's number: the same
// seed gives the same train, and a train of any length costs no memory.
type BurstTrain struct {
	Base, Peak float64
	Width      time.Duration
	Period     time.Duration
	Jitter     time.Duration
	Seed       uint64
	Over       time.Duration // how long the train lasts; bursts past it are not jittered
}

// NewBurstTrain returns the train b describes.
func NewBurstTrain(b BurstTrain) *BurstTrain { return &b }

func (b *BurstTrain) Rate(t time.Duration) float64 {
	if b.Period <= 0 {
		return b.Base
	}
	into := t%b.Period - b.offset(t/b.Period)
	if into >= 0 && into < b.Width {
		return b.Peak
	}
	return b.Base
}

// offset is the jitter of burst i: a draw from a generator seeded with Seed
// and i alone, so that Rate stays pure and cheap at any i.
func (b *BurstTrain) offset(i time.Duration) time.Duration {
	if b.Jitter <= 0 || i > b.Over/b.Period {
		return 0
	}
	draw := rand.NewPCG(b.Seed, 0x6275727374+uint64(i))  // "burst"
	hi, _ := bits.Mul64(draw.Uint64(), uint64(b.Jitter)) // uniform in [0, Jitter)
	return time.Duration(hi)
}

// Stage is one piece of a profile: a shape played for a duration, its clock
// starting at zero when the stage begins.
type Stage struct {
	Shape Shape
	For   time.Duration
}

// Stages plays its stages one after another; past the last it offers zero.
type Stages []Stage

func (ss Stages) Rate(t time.Duration) float64 {
	for _, s := range ss {
		if t < s.For {
			return s.Shape.Rate(t)
		}
		t -= s.For
	}
	return 0
}

// Total is the time all stages take together.
func (ss Stages) Total() time.Duration {
	var total time.Duration
	for _, s := range ss {
		total += s.For
	}
	return total
}

// Looped repeats a shape of the given period forever: a profile run for
// longer than its stages plays them again.
type Looped struct {
	Shape  Shape
	Period time.Duration
}

func (l Looped) Rate(t time.Duration) float64 {
	if l.Period <= 0 {
		return 0
	}
	return l.Shape.Rate(t % l.Period)
}
