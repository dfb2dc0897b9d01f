package pace

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// virtualClock is a clock that only moves when the pacer sleeps or a test
// says so: pacing is tested without sleeping.
type virtualClock struct{ t time.Time }

func (c *virtualClock) now() time.Time          { return c.t }
func (c *virtualClock) sleep(d time.Duration)   { c.t = c.t.Add(d) }
func (c *virtualClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func virtualPacer(shape Shape, end time.Duration, dispatch func(*virtualClock, Job) bool) (*Pacer, *virtualClock) {
	clock := &virtualClock{t: time.Unix(1000, 0)}
	p := &Pacer{Schedule: NewSchedule(shape, end), Start: clock.t, LateAfter: 10 * time.Millisecond}
	p.Dispatch = func(j Job) bool { return dispatch(clock, j) }
	p.now, p.sleep = clock.now, clock.sleep
	return p, clock
}

func TestPacerReleasesEachJobAtItsIntendedTime(t *testing.T) {
	var jobs []Job
	var lags []time.Duration
	p, _ := virtualPacer(Constant{PerSecond: 100}, time.Second, func(c *virtualClock, j Job) bool {
		jobs = append(jobs, j)
		lags = append(lags, c.now().Sub(j.Intended))
		return true
	})
	lag := p.Run(t.Context())
	if len(jobs) != 100 {
		t.Fatalf("dispatched %d jobs, want 100", len(jobs))
	}
	for i, j := range jobs {
		if j.Seq != uint64(i) || j.Intended != p.Start.Add(time.Duration(i)*10*time.Millisecond) || lags[i] != 0 {
			t.Fatalf("job %d: seq %d intended %v lag %v", i, j.Seq, j.Intended.Sub(p.Start), lags[i])
		}
	}
	if c := p.Counts(); c != (Counts{Scheduled: 100, Dispatched: 100}) || lag.TotalCount() != 100 {
		t.Fatalf("counts %+v, %d lags recorded", c, lag.TotalCount())
	}
}

func TestPacerSkipsWhatIsTooLateInsteadOfBursting(t *testing.T) {
	// The 10th dispatch stalls the pacer for 50 ms at 1,000 req/s: the
	// requests due more than 10 ms before it recovers are skipped as late,
	// not sent in a burst.
	var sent []Job
	p, _ := virtualPacer(Constant{PerSecond: 1000}, 100*time.Millisecond, func(c *virtualClock, j Job) bool {
		sent = append(sent, j)
		if j.Seq == 9 {
			c.advance(50 * time.Millisecond)
		}
		return true
	})
	p.Missed = NewPerSecond(100 * time.Millisecond)
	lag := p.Run(t.Context())
	c := p.Counts()
	if p.Missed.At(0) != 39 {
		t.Fatalf("missed in second 0: %d, want the 39 late", p.Missed.At(0))
	}
	// Requests 10..49 were due at 10..49 ms; the pacer is back at 59 ms, so
	// 10..48 are more than 10 ms late; 49 leaves 10 ms late, inside the bound.
	// The lag figure covers the skipped requests too: the worst was 49 ms late.
	if lag.TotalCount() != 100 || lag.Max() < int64(48*time.Millisecond) {
		t.Fatalf("lag histogram: %d values, max %v; want all 100, max about 49ms", lag.TotalCount(), time.Duration(lag.Max()))
	}
	if c.Late != 39 || c.Scheduled != 100 || c.Dispatched != 61 {
		t.Fatalf("counts %+v, want 39 late of 100 scheduled, 61 dispatched", c)
	}
	if sent[10].Seq != 49 {
		t.Fatalf("first request after the stall was %d, want 49", sent[10].Seq)
	}
}

func TestPacerCountsWhatNoWorkerCouldTake(t *testing.T) {
	p, _ := virtualPacer(Constant{PerSecond: 100}, time.Second, func(_ *virtualClock, j Job) bool {
		return j.Seq%4 != 0
	})
	p.Run(t.Context())
	if c := p.Counts(); c.Dropped != 25 || c.Dispatched != 75 {
		t.Fatalf("counts %+v, want 25 dropped, 75 dispatched", c)
	}
}

func TestPacerStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	p, _ := virtualPacer(Constant{PerSecond: 100}, time.Hour, func(_ *virtualClock, j Job) bool {
		if j.Seq == 9 {
			cancel()
		}
		return true
	})
	p.Run(ctx)
	if c := p.Counts(); c.Dispatched != 10 {
		t.Fatalf("dispatched %d after cancel at the 10th, want 10", c.Dispatched)
	}
}

// countingWorker counts what it did; its records are its own.
type countingWorker struct {
	done   *atomic.Int64
	closed *atomic.Int64
	hold   chan struct{}
}

func (w countingWorker) Do(Job) {
	if w.hold != nil {
		<-w.hold
	}
	w.done.Add(1)
}
func (w countingWorker) Idle()  {}
func (w countingWorker) Close() { w.closed.Add(1) }

func TestPoolCapsJobsInFlight(t *testing.T) {
	var done, closed atomic.Int64
	hold := make(chan struct{})
	never := make(chan struct{})
	pool := NewPool(3, func() Worker { return countingWorker{&done, &closed, hold} }, func() <-chan struct{} { return never })
	for i := range 3 {
		if !pool.TryDispatch(Job{Seq: uint64(i)}) {
			t.Fatalf("job %d refused under the cap", i)
		}
	}
	if pool.TryDispatch(Job{Seq: 3}) {
		t.Fatal("a 4th job was taken with 3 workers busy")
	}
	close(hold)
	pool.Close()
	if done.Load() != 3 || closed.Load() != 3 {
		t.Fatalf("%d jobs done, %d workers closed; want 3 and 3", done.Load(), closed.Load())
	}
}

func TestPoolReusesIdleWorkers(t *testing.T) {
	var done, closed atomic.Int64
	never := make(chan struct{})
	var started atomic.Int64
	pool := NewPool(100, func() Worker { started.Add(1); return countingWorker{done: &done, closed: &closed} },
		func() <-chan struct{} { return never })
	deadline := time.Now().Add(5 * time.Second)
	for i := 0; i < 1000 && time.Now().Before(deadline); i++ {
		for !pool.TryDispatch(Job{Seq: uint64(i)}) {
		}
		time.Sleep(100 * time.Microsecond)
	}
	pool.Close()
	if done.Load() != 1000 || started.Load() > 20 {
		t.Fatalf("%d jobs on %d workers; want 1000 jobs on a handful of workers", done.Load(), started.Load())
	}
}

// testBoundary is an interval boundary the test fires by hand.
type testBoundary struct {
	mu sync.Mutex
	ch chan struct{}
}

func newTestBoundary() *testBoundary { return &testBoundary{ch: make(chan struct{})} }

func (b *testBoundary) next() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ch
}

// fire crosses the boundary, then gives the pool a millisecond to hear it;
// it reports false once ctx is done.
func (b *testBoundary) fire(ctx context.Context) bool {
	b.mu.Lock()
	close(b.ch)
	b.ch = make(chan struct{})
	b.mu.Unlock()
	select {
	case <-ctx.Done():
		return false
	case <-time.After(time.Millisecond):
		return true
	}
}

func TestIdleWorkersHearTheBoundaryAndRetire(t *testing.T) {
	boundary := newTestBoundary()
	var idles atomic.Int64
	var closed atomic.Int64
	pool := NewPool(10, func() Worker { return idleCounter{&idles, &closed} }, boundary.next)
	pool.TryDispatch(Job{})
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	for closed.Load() == 0 {
		if !boundary.fire(ctx) {
			t.Fatal("idle worker never retired")
		}
	}
	if idles.Load() != idleRetirement {
		t.Fatalf("worker was idle %d times before retiring, want %d", idles.Load(), idleRetirement)
	}
	pool.Close()
}

// TestWorkersABurstAddedRetireUnderSteadyTraffic: after a burst has started
// many workers, one job at a time keeps going to the same worker, so the
// others stay idle and retire, with their connections.
func TestWorkersABurstAddedRetireUnderSteadyTraffic(t *testing.T) {
	boundary := newTestBoundary()
	var done, closed atomic.Int64
	hold := make(chan struct{})
	pool := NewPool(10, func() Worker { return countingWorker{&done, &closed, hold} }, boundary.next)
	defer pool.Close()
	for i := range 8 { // the burst: 8 jobs at once, held, on 8 workers
		if !pool.TryDispatch(Job{Seq: uint64(i)}) {
			t.Fatal("burst job refused under the cap")
		}
	}
	close(hold)

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	for closed.Load() < 7 {
		// Steady traffic: five jobs one after another, then a boundary.
		for range 5 {
			before := done.Load()
			if !pool.TryDispatch(Job{}) {
				t.Fatal("no worker took a steady job")
			}
			for done.Load() == before && ctx.Err() == nil {
				time.Sleep(50 * time.Microsecond)
			}
		}
		if !boundary.fire(ctx) {
			t.Fatalf("%d of the burst's 8 workers retired under steady traffic, want 7", closed.Load())
		}
	}
}

type idleCounter struct{ idles, closed *atomic.Int64 }

func (w idleCounter) Do(Job) {}
func (w idleCounter) Idle()  { w.idles.Add(1) }
func (w idleCounter) Close() { w.closed.Add(1) }

func TestPacerHearsCancelDuringALongSilence(t *testing.T) {
	// Nothing is due for 30 days: the pacer waits it out a sleep at a time
	// and stops when cancelled, instead of walking 30 days of schedule first.
	ctx, cancel := context.WithCancel(t.Context())
	p, clock := virtualPacer(Stages{{Constant{0}, 30 * 24 * time.Hour}, {Constant{100}, time.Second}}, 30*24*time.Hour+time.Second,
		func(*virtualClock, Job) bool { return true })
	sleeps := 0
	p.sleep = func(d time.Duration) {
		if sleeps++; sleeps == 5 {
			cancel()
		}
		clock.sleep(d)
	}
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the pacer did not stop within 10 s of the cancel")
	}
	if sleeps != 5 || p.Counts().Scheduled != 0 {
		t.Fatalf("%d sleeps, %d scheduled; want to stop at the 5th sleep with nothing sent", sleeps, p.Counts().Scheduled)
	}
}
