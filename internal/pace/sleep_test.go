package pace

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

func TestSleeperWakesAfterItsTimeNotLongAfter(t *testing.T) {
	sleep, release := newSleeper()
	defer release()
	for _, d := range []time.Duration{50 * time.Microsecond, 2 * time.Millisecond, 0, time.Millisecond} {
		start := time.Now()
		sleep(d)
		// Never early; the upper bound only catches a sleep that never
		// ends (a busy machine may wake it late).
		if took := time.Since(start); took < d || took > d+time.Second {
			t.Fatalf("sleep(%v) took %v", d, took)
		}
	}
}

func TestPacerOnTheWallClockAccountsForEveryJob(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var dispatched atomic.Int64
	p := &Pacer{Schedule: NewSchedule(Constant{PerSecond: 500}, 200*time.Millisecond), Start: time.Now(),
		LateAfter: 10 * time.Millisecond, Dispatch: func(Job) bool { dispatched.Add(1); return true }}
	lag := p.Run(ctx)
	if ctx.Err() != nil {
		t.Fatal("the pacer did not finish a 200 ms schedule within 10 s")
	}
	c := p.Counts()
	// Whichever sleeper the build has, every job is either sent or counted
	// late, and each has its lag recorded, never a negative one.
	if c.Scheduled != 100 || c.Dispatched+c.Late != 100 || c.Dispatched != dispatched.Load() ||
		lag.TotalCount() != 100 || lag.Min() < 0 {
		t.Fatalf("counts %+v, %d dispatched, %d lags (min %d ns): want 100 jobs, each sent or late, each with a lag >= 0",
			c, dispatched.Load(), lag.TotalCount(), lag.Min())
	}
}
