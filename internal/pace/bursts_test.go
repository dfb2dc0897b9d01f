package pace

import (
	"slices"
	"testing"
	"time"
)

func TestBurstsAreWhereTheRateIsAtItsPeak(t *testing.T) {
	s := time.Second
	train := func(jitter time.Duration, over time.Duration) *BurstTrain {
		return NewBurstTrain(BurstTrain{Base: 10, Peak: 100, Width: 2 * s, Period: 10 * s, Jitter: jitter, Seed: 7, Over: over})
	}
	tests := []struct {
		name  string
		shape Shape
		over  time.Duration
		want  []Burst
	}{
		// Without jitter a burst starts each period; its peak is its middle.
		{"plain train", train(0, 30*s), 30 * s, []Burst{{0, 2 * s}, {10 * s, 12 * s}, {20 * s, 22 * s}}},
		// A stage before the train moves its bursts later.
		{"after a constant stage", Stages{{Shape: Constant{PerSecond: 5}, For: 5 * s}, {Shape: train(0, 20*s), For: 20 * s}}, 25 * s,
			[]Burst{{5 * s, 7 * s}, {15 * s, 17 * s}}},
		// The run's end cuts the last burst short and drops those after it.
		{"cut by the run", train(0, 30*s), 21 * s, []Burst{{0, 2 * s}, {10 * s, 12 * s}, {20 * s, 21 * s}}},
		// Looped stages play their bursts again.
		{"looped", Looped{Shape: Stages{{Shape: train(0, 10*s), For: 10 * s}}, Period: 10 * s}, 25 * s,
			[]Burst{{0, 2 * s}, {10 * s, 12 * s}, {20 * s, 22 * s}}},
		// Shapes without bursts have none.
		{"constant", Constant{PerSecond: 5}, 30 * s, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Collect(Bursts(tt.shape, tt.over))
			if !slices.Equal(got, tt.want) {
				t.Fatalf("bursts = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBurstPeaksMatchTheJitteredRate(t *testing.T) {
	train := NewBurstTrain(BurstTrain{Base: 10, Peak: 100, Width: 2 * time.Second, Period: 10 * time.Second,
		Jitter: 3 * time.Second, Seed: 42, Over: time.Minute})
	n := 0
	for b := range Bursts(train, time.Minute) {
		n++
		for _, at := range []time.Duration{b.Start, b.Peak(), b.End - time.Millisecond} {
			if r := train.Rate(at); r != 100 {
				t.Errorf("rate at %v of burst %v = %v, want the peak 100", at, b, r)
			}
		}
		if r := train.Rate(b.Start - time.Millisecond); r != 10 {
			t.Errorf("rate just before burst %v = %v, want the base 10", b, r)
		}
	}
	if n != 6 {
		t.Fatalf("%d bursts in a minute of 10 s periods, want 6", n)
	}
}

// A 30-day train of 2 ms periods has over a billion bursts: asking for the
// first three must not walk them all (the test would time out).
func TestBurstsStopWhenAskedToo(t *testing.T) {
	train := NewBurstTrain(BurstTrain{Base: 1, Peak: 2, Width: time.Millisecond, Period: 2 * time.Millisecond, Over: 720 * time.Hour})
	var starts []time.Duration
	for b := range Bursts(train, 720*time.Hour) {
		if starts = append(starts, b.Start); len(starts) == 3 {
			break
		}
	}
	if want := []time.Duration{0, 2 * time.Millisecond, 4 * time.Millisecond}; !slices.Equal(starts, want) {
		t.Fatalf("first bursts start at %v, want %v", starts, want)
	}
}
