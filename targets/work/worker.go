package work

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// DefaultConcurrency is a Model's Concurrency when it is left 0.
const DefaultConcurrency = 4

// ErrFailed is the error of a job that failed by injection (Model.FailureRate).
var ErrFailed = errors.New("work failed (injected)")

// Model is what one worker (a backend process or a consumer process) does per
// job. The zero Model runs 4 jobs at once, each taking no time and none
// failing.
type Model struct {
	Service     Dist    // how long a job takes; default fixed:0s
	Concurrency int     // jobs a worker runs at once; default 4
	FailureRate float64 // fraction of jobs that fail, 0..1; default 0
}

// Validate reports every problem with m at once.
func (m Model) Validate() error {
	var errs []error
	if err := m.Service.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("service time %s: %w", m.Service, err))
	}
	if m.Concurrency < 0 {
		errs = append(errs, fmt.Errorf("concurrency %d: must not be negative", m.Concurrency))
	}
	if !(m.FailureRate >= 0 && m.FailureRate <= 1) { // NaN fails too
		errs = append(errs, fmt.Errorf("failure rate %v: must be within 0..1", m.FailureRate))
	}
	return errors.Join(errs...)
}

// Worker runs jobs under a Model: at most Concurrency at once. It is safe for
// concurrent use.
type Worker struct {
	model Model
	slots chan struct{} // one token per running job

	// sleep waits out a job's service time; tests replace it to hold jobs.
	sleep func(ctx context.Context, d time.Duration) error

	mu  sync.Mutex
	rng *rand.Rand // guarded by mu
}

// NewWorker returns a worker for m, its random draws seeded by seed. m must
// be valid (see Model.Validate): NewWorker panics otherwise.
func NewWorker(m Model, seed uint64) *Worker {
	if err := m.Validate(); err != nil {
		panic(fmt.Sprintf("work.NewWorker: invalid model: %v", err))
	}
	if m.Concurrency == 0 {
		m.Concurrency = DefaultConcurrency
	}
	return &Worker{
		model: m,
		slots: make(chan struct{}, m.Concurrency),
		sleep: sleepCtx,
		rng:   rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)),
	}
}

// Do runs one job: it waits for a free slot, sleeps a sampled service time
// and then fails with ErrFailed at the model's failure rate. When ctx ends
// first, at either wait, Do returns ctx.Err() at once.
func (w *Worker) Do(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case w.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	return w.run(ctx)
}

// TryDo is Do without the wait for a slot: when every slot is busy it returns
// ran=false and a nil error at once. ran is true when the job started, err
// then being Do's. A ctx already done returns ran=false and ctx.Err().
func (w *Worker) TryDo(ctx context.Context) (ran bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	select {
	case w.slots <- struct{}{}:
	default:
		return false, nil
	}
	return true, w.run(ctx)
}

// run does the job in the slot the caller holds, and frees it.
func (w *Worker) run(ctx context.Context) error {
	defer func() { <-w.slots }()
	d, fail := w.draw()
	if err := w.sleep(ctx, d); err != nil {
		return err
	}
	if fail {
		return ErrFailed
	}
	return nil
}

// draw samples one job's service time and whether it fails.
func (w *Worker) draw() (time.Duration, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	d := w.model.Service.Sample(w.rng)
	return d, w.model.FailureRate > 0 && w.rng.Float64() < w.model.FailureRate
}

// sleepCtx sleeps for d or until ctx is done, returning ctx.Err() then.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil || d <= 0 {
		return err
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
