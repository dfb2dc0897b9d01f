package run

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// TestEverySecondSamplesAtOnceThenEachSecondUntilFinished: atOnce samples
// right away, the ticks follow a second apart, the run's cancellation does
// not stop them, and nothing is sampled after finish returns.
func TestEverySecondSamplesAtOnceThenEachSecondUntilFinished(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var calls atomic.Int64
	first := make(chan time.Time, 1)
	start := time.Now()
	e := startEverySecond(ctx, true, func(_ context.Context, now time.Time) {
		if calls.Add(1) == 1 {
			first <- now
		}
	})
	select {
	case at := <-first:
		if at.Sub(start) > 900*time.Millisecond { // before the first tick
			t.Errorf("the first sample came %v after the start, want at once", at.Sub(start))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no sample within 5 s")
	}
	cancel() // an interrupt: the watch samples on through the drain
	deadline := time.Now().Add(10 * time.Second)
	for calls.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	e.finish()
	after := calls.Load()
	if after < 3 {
		t.Fatalf("%d samples in 10 s after the run's context ended, want the ticks to go on", after)
	}
	time.Sleep(1200 * time.Millisecond)
	if n := calls.Load(); n != after {
		t.Errorf("%d samples after finish returned", n-after)
	}
}
