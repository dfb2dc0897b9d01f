package run

import (
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/pace"
)

func TestOfferedCountsEachSecondOfTheSchedule(t *testing.T) {
	shape := pace.Stages{{Shape: pace.Constant{PerSecond: 0}, For: 1500 * time.Millisecond}, {Shape: pace.Ramp{From: 0, To: 1000, Over: 2 * time.Second}, For: 2 * time.Second}}
	want := make([]int64, 4)
	s := pace.NewSchedule(shape, 3500*time.Millisecond)
	for at, ok := s.Next(); ok; at, ok = s.Next() {
		want[at/time.Second]++
	}
	o := newOffered(shape, 3500*time.Millisecond, pace.Segment{})
	for i := int64(0); i < 6; i++ {
		var w int64
		if i < int64(len(want)) {
			w = want[i]
		}
		if got := o.at(i); got != w {
			t.Errorf("second %d: %d offered, want %d", i, got, w)
		}
	}
}

func TestOfferedWalksNothingAhead(t *testing.T) {
	// 10 million req/s for 30 days: asking for the first second walks one
	// second of it.
	began := time.Now()
	o := newOffered(pace.Constant{PerSecond: 1e7}, 30*24*time.Hour, pace.Segment{})
	if got := o.at(0); got < 1e7-10 || got > 1e7+1 { // the schedule's sums drift by a few in 10 million
		t.Fatalf("second 0: %d offered, want about 10,000,000", got)
	}
	t.Logf("counted in %v", time.Since(began))
}
