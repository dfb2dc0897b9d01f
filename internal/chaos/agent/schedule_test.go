package agent

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestScheduleOffsets(t *testing.T) {
	s := time.Second
	tests := []struct {
		name  string
		sched Schedule
		until time.Duration
		want  []time.Duration
	}{
		// Fixed offsets come out sorted.
		{"at", Schedule{At: []time.Duration{30 * s, 5 * s}}, time.Hour, []time.Duration{5 * s, 30 * s}},
		// An offset at or past the deadline never fires.
		{"at past the deadline", Schedule{At: []time.Duration{5 * s, 60 * s}}, 60 * s, []time.Duration{5 * s}},
		// Every interval, a number of times.
		{"every times", Schedule{Every: 10 * s, Start: 10 * s, Times: 3}, time.Hour, []time.Duration{10 * s, 20 * s, 30 * s}},
		// Every interval, from a start of its own, for a duration (both ends in).
		{"every duration", Schedule{Every: 10 * s, Start: 5 * s, Duration: 20 * s}, time.Hour, []time.Duration{5 * s, 15 * s, 25 * s}},
		// The first bound reached ends it.
		{"times before duration", Schedule{Every: s, Times: 2, Duration: time.Hour}, time.Hour, []time.Duration{0, s}},
		// The deadline ends an every schedule too.
		{"every cut by the deadline", Schedule{Every: 10 * s, Times: 100}, 25 * s, []time.Duration{0, 10 * s, 20 * s}},
		// A minimum gap pushes an occurrence later: with every shorter than the gap, the gap sets the pace.
		{"min gap", Schedule{Every: s, MinGap: 3 * s, Times: 3}, time.Hour, []time.Duration{0, 3 * s, 6 * s}},
	}
	for _, tt := range tests {
		got := tt.sched.Offsets(rand.New(rand.NewPCG(1, 2)), tt.until)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestJitterIsSeededBoundedAndKeepsTheGap(t *testing.T) {
	sched := Schedule{Every: 10 * time.Second, Start: 10 * time.Second, Jitter: 4 * time.Second, MinGap: 8 * time.Second, Times: 200}
	first := sched.Offsets(rand.New(rand.NewPCG(7, 0)), 24*time.Hour)
	again := sched.Offsets(rand.New(rand.NewPCG(7, 0)), 24*time.Hour)
	other := sched.Offsets(rand.New(rand.NewPCG(8, 0)), 24*time.Hour)
	if !slices.Equal(first, again) || slices.Equal(first, other) {
		t.Fatal("the jitter does not follow the seed")
	}
	if len(first) != 200 {
		t.Fatalf("%d occurrences, want 200", len(first))
	}
	moved := false
	for k, at := range first {
		nominal := sched.Start + time.Duration(k)*sched.Every
		if k > 0 && at-first[k-1] < sched.MinGap {
			t.Fatalf("occurrences %d and %d are %v apart, under the minimum gap", k-1, k, at-first[k-1])
		}
		if at < nominal-sched.Jitter || at > nominal+sched.Jitter+sched.MinGap {
			t.Fatalf("occurrence %d at %v, nominal %v: beyond the jitter", k, at, nominal)
		}
		moved = moved || at != nominal
	}
	if !moved {
		t.Fatal("no occurrence was moved")
	}
}

func TestOccurrencesAreBounded(t *testing.T) {
	got := Schedule{Every: time.Millisecond, Duration: time.Hour}.Offsets(rand.New(rand.NewPCG(1, 1)), 24*time.Hour)
	if len(got) != MaxOccurrences {
		t.Fatalf("%d occurrences, want the cap %d", len(got), MaxOccurrences)
	}
}

func ExampleSchedule_Offsets() {
	s := Schedule{Every: 30 * time.Second, Start: 10 * time.Second, Times: 3}
	fmt.Println(s.Offsets(rand.New(rand.NewPCG(1, 1)), time.Hour))
	// Output: [10s 40s 1m10s]
}
