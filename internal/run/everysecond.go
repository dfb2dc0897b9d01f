package run

import (
	"context"
	"time"
)

// everySecond calls a watch's sample once a second, in a goroutine of its
// own, until finish: the run's lag and tier watches. It outlives the run's
// context's cancellation (an interrupt), so that a watch samples through
// the drain until the run finishes it.
type everySecond struct {
	stop context.CancelFunc
	done chan struct{}
}

// startEverySecond starts calling sample each second; atOnce calls it once
// first, right away, in the same goroutine.
func startEverySecond(ctx context.Context, atOnce bool, sample func(ctx context.Context, now time.Time)) *everySecond {
	ctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	e := &everySecond{stop: stop, done: make(chan struct{})}
	go func() {
		defer close(e.done)
		if atOnce {
			sample(ctx, time.Now())
		}
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				sample(ctx, now)
			}
		}
	}()
	return e
}

// finish stops sampling and waits until the sample under way is done.
func (e *everySecond) finish() {
	e.stop()
	<-e.done
}
