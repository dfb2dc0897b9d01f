package pace

import (
	"sync"
	"sync/atomic"
	"time"
)

// Job is one scheduled request handed to a worker.
type Job struct {
	Seq      uint64    // position in the schedule, from 0
	Intended time.Time // when the schedule wanted it to leave
}

// Worker does one job at a time in its own goroutine and keeps its own
// records, so workers share nothing on the per-request path.
type Worker interface {
	Do(Job)
	// Idle is called when the worker has nothing to do and the pool's
	// boundary signal fires: the moment to hand its records over.
	Idle()
	// Close is called once when the worker retires.
	Close()
}

// idleRetirement is how many boundary signals a worker may sleep through
// idle before it retires, so that a pool grown by a burst shrinks again.
const idleRetirement = 10

// Pool runs jobs on workers it starts as needed, up to a cap on jobs in
// flight. A job is never queued: either a worker takes it now or it is
// refused, so that a request never leaves later than its dispatch.
type Pool struct {
	jobs      chan Job
	newWorker func() Worker
	boundary  func() <-chan struct{}
	max       int64

	workers atomic.Int64
	wg      sync.WaitGroup
	closed  atomic.Bool
}

// NewPool returns a pool of at most max workers. Idle workers wait for a
// job or for the channel boundary returns to close (see hist.Collector.Boundary).
func NewPool(max int, newWorker func() Worker, boundary func() <-chan struct{}) *Pool {
	return &Pool{jobs: make(chan Job), newWorker: newWorker, boundary: boundary, max: int64(max)}
}

// TryDispatch hands j to an idle worker, or to a new one while the pool is
// under its cap. It returns false when every allowed worker is busy.
func (p *Pool) TryDispatch(j Job) bool {
	select {
	case p.jobs <- j:
		return true
	default:
	}
	if p.workers.Add(1) > p.max {
		p.workers.Add(-1)
		return false
	}
	p.wg.Go(func() { p.work(j) })
	return true
}

func (p *Pool) work(first Job) {
	w := p.newWorker()
	defer func() {
		w.Close()
		p.workers.Add(-1)
	}()
	w.Do(first)
	idle := 0
	for {
		select {
		case j, ok := <-p.jobs:
			if !ok {
				return
			}
			idle = 0
			w.Do(j)
		case <-p.boundary():
			w.Idle()
			if idle++; idle >= idleRetirement && !p.closed.Load() {
				return
			}
		}
	}
}

// Close stops taking jobs and waits until every worker has finished its
// job and retired. Call it after the last TryDispatch.
func (p *Pool) Close() {
	p.closed.Store(true)
	close(p.jobs)
	p.wg.Wait()
}
