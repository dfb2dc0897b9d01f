package chaos

import (
	"bytes"
	"context"
	"sync"
	"syscall"
	"testing"
	"time"
)

// scripted is a live figure that takes each of its values in turn, one per
// check, and keeps the last: the condition is value > bound.
type scripted struct {
	mu     sync.Mutex
	values []float64
	bound  float64
	checks int
}

func (s *scripted) Check() (float64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks++
	v := s.values[0]
	if len(s.values) > 1 {
		s.values = s.values[1:]
	}
	return v, v > s.bound
}

func (s *scripted) String() string { return "async.max_lag > 500" }

// runWatched plays events on fresh workers, checking conditions every
// millisecond, and returns the journal.
func runWatched(t *testing.T, timeout time.Duration, events ...Event) []Entry {
	t.Helper()
	var buf bytes.Buffer
	start := time.Now()
	r := NewRunner(workers(), NewJournal(&buf, start), 1, WatchEvery(time.Millisecond))
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	if err := r.Run(ctx, start, events); err != nil {
		t.Fatalf("run: %v", err)
	}
	r.Halt()
	return journalEntries(t, &buf)
}

func stages(entries []Entry) map[string]int {
	out := map[string]int{}
	for _, e := range entries {
		out[e.Action+" "+e.Stage]++
	}
	return out
}

func TestAConditionFiresOnceWhenItFirstHoldsWithItsFigure(t *testing.T) {
	lag := &scripted{values: []float64{0, 120, 480, 650, 900, 1200}, bound: 500}
	entries := runWatched(t, 5*time.Second, Event{Fault: Signal{Sig: syscall.SIGKILL}, Select: Selector{Role: "consumer"}, When: lag})
	if got := stages(entries); got["kill done"] != 1 || got["kill intent"] != 1 {
		t.Fatalf("journal %v, want one kill", got)
	}
	for _, e := range entries {
		if e.Action != "kill" {
			continue
		}
		if e.When != "async.max_lag > 500" || e.Value == nil || *e.Value != 650 {
			t.Fatalf("kill %s journaled when %q value %v, want the condition and 650, the first figure past it", e.Stage, e.When, e.Value)
		}
	}
}

func TestAConditionThatNeverHoldsIsJournaledAsNotFired(t *testing.T) {
	lag := &scripted{values: []float64{10, 20, 30}, bound: 500}
	entries := runWatched(t, 5*time.Second, Event{Fault: Pause{}, Select: Selector{Role: "backend"}, When: lag, Until: 50 * time.Millisecond})
	if len(entries) != 1 || entries[0].Stage != StageNotFired || entries[0].When != "async.max_lag > 500" || entries[0].Error == "" {
		t.Fatalf("journal %+v, want one not_fired entry with its condition and why", entries)
	}
	if lag.checks == 0 {
		t.Fatal("the condition was never checked")
	}
}

func TestAConditionFiresOnEachRiseUpToItsTimes(t *testing.T) {
	// Rises at the 2nd, 5th and 7th checks and stays up after: with times 2
	// it fires at the first two rises only, not on every check it holds.
	lag := &scripted{values: []float64{0, 600, 700, 0, 800, 0, 900}, bound: 500}
	entries := runWatched(t, 5*time.Second, Event{Fault: Pause{}, Select: Selector{Role: "backend"}, When: lag, Times: 2, For: time.Millisecond})
	var values []float64
	for _, e := range entries {
		if e.Action == "pause" && e.Stage == StageDone {
			values = append(values, *e.Value)
		}
	}
	if len(values) != 2 || values[0] != 600 || values[1] != 800 {
		t.Fatalf("fired with %v, want [600 800]", values)
	}
}

func TestAConditionStopsAtTheEndOfTheLoad(t *testing.T) {
	lag := &scripted{values: []float64{0}, bound: 500}
	entries := runWatched(t, 50*time.Millisecond, Event{Fault: Pause{}, Select: Selector{Role: "backend"}, When: lag, Times: 3})
	if len(entries) != 1 || entries[0].Stage != StageNotFired {
		t.Fatalf("journal %+v, want not_fired when the load ends first", entries)
	}
}

func TestAMomentThatNeverComesIsJournaledAsNotFired(t *testing.T) {
	entries := runWatched(t, 5*time.Second,
		Event{Fault: Pause{}, Select: Selector{Role: "backend"}, Moment: "burst.peak[9]", Missed: "the run has 3 bursts"},
		Event{At: time.Millisecond, Fault: Pause{}, Select: Selector{Role: "backend"}, Moment: "burst.peak[0]", For: time.Millisecond})
	got := stages(entries)
	if got["pause not_fired"] != 1 || got["pause done"] != 1 {
		t.Fatalf("journal %v, want one not fired and one pause", got)
	}
	for _, e := range entries {
		if e.Action == "pause" && e.Stage == StageDone && (e.When != "burst.peak[0]" || e.Value != nil) {
			t.Fatalf("pause at a moment journaled when %q value %v, want the moment and no figure", e.When, e.Value)
		}
	}
}
