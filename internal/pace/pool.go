package pace

import (
	"sync"
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
	// Idle is called at each boundary signal while the worker waits for a
	// job (never during Do, and from another goroutine): the moment to hand
	// its records over.
	Idle()
	// Close is called once when the worker retires.
	Close()
}

// idleRetirement is how many boundary signals a worker may wait through
// idle before it retires, so that a pool grown by a burst shrinks again.
const idleRetirement = 10

// Pool runs jobs on workers it starts as needed, up to a cap on jobs in
// flight. A job is never queued: either a worker takes it now or it is
// refused, so that a request never leaves later than its dispatch.
//
// Idle workers wait on a stack: the one idle for the shortest time takes
// the next job. Steady traffic so keeps to as few workers (and their
// connections) as it needs, and those a burst added stay idle and retire;
// taken in turn, every worker would stay busy enough never to retire.
type Pool struct {
	newWorker func() Worker
	boundary  func() <-chan struct{}
	max       int
	stop      chan struct{} // closed by Close: the sweeper ends

	mu      sync.Mutex
	idle    []*slot // the most recently idle last
	workers int
	closed  bool

	wg sync.WaitGroup
}

// slot is one worker and its private job channel (room for one job, so a
// dispatch never waits).
type slot struct {
	w         Worker
	jobs      chan Job
	idleSince int // boundaries waited through idle
}

// NewPool returns a pool of at most max workers. At each boundary (the
// channel boundary returns closes; see hist.Collector.Boundary) the idle
// workers hand their records over.
func NewPool(max int, newWorker func() Worker, boundary func() <-chan struct{}) *Pool {
	p := &Pool{newWorker: newWorker, boundary: boundary, max: max, stop: make(chan struct{})}
	go p.sweep()
	return p
}

// TryDispatch hands j to the most recently idle worker, or to a new one
// while the pool is under its cap. It returns false when every allowed
// worker is busy.
func (p *Pool) TryDispatch(j Job) bool {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		s := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		s.jobs <- j
		return true
	}
	if p.closed || p.workers >= p.max {
		p.mu.Unlock()
		return false
	}
	p.workers++
	p.mu.Unlock()
	s := &slot{jobs: make(chan Job, 1)}
	s.jobs <- j
	p.wg.Go(func() { p.work(s) })
	return true
}

// work runs one worker until its channel closes: when it retires or the
// pool closes.
func (p *Pool) work(s *slot) {
	s.w = p.newWorker()
	for j := range s.jobs {
		s.w.Do(j)
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			break
		}
		s.idleSince = 0
		p.idle = append(p.idle, s)
		p.mu.Unlock()
	}
	s.w.Close()
	p.mu.Lock()
	p.workers--
	p.mu.Unlock()
}

// sweep tells the idle workers of each boundary, and retires those idle
// for idleRetirement of them.
func (p *Pool) sweep() {
	for {
		select {
		case <-p.boundary():
		case <-p.stop:
			return
		}
		p.mu.Lock()
		kept := p.idle[:0]
		for _, s := range p.idle {
			s.w.Idle()
			if s.idleSince++; s.idleSince >= idleRetirement {
				close(s.jobs)
				continue
			}
			kept = append(kept, s)
		}
		clear(p.idle[len(kept):])
		p.idle = kept
		p.mu.Unlock()
	}
}

// Close stops taking jobs and waits until every worker has finished its
// job and retired. Call it after the last TryDispatch.
func (p *Pool) Close() {
	p.mu.Lock()
	p.closed = true
	for _, s := range p.idle {
		close(s.jobs)
	}
	p.idle = nil
	p.mu.Unlock()
	close(p.stop)
	p.wg.Wait()
}
