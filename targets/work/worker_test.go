package work

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestModelValidate(t *testing.T) {
	for _, tc := range []struct {
		m    Model
		want []string // parts of the error, all of them; none for a valid Model
	}{
		{Model{}, nil}, // the zero Model: defaults throughout
		{Model{Service: Dist{Kind: Exponential, Median: time.Millisecond}, Concurrency: 8, FailureRate: 1}, nil}, // every job fails
		{Model{Concurrency: -1}, []string{"concurrency -1"}},                                                     // negative concurrency
		{Model{FailureRate: 1.5}, []string{"failure rate 1.5"}},                                                  // above 1
		{Model{FailureRate: math.NaN()}, []string{"failure rate NaN"}},                                           // NaN is not in 0..1
		{Model{Service: Dist{Kind: Exponential}, FailureRate: -1}, []string{"must be positive", "failure rate"}}, // every error at once
	} {
		err := tc.m.Validate()
		if len(tc.want) == 0 {
			if err != nil {
				t.Errorf("%+v: %v", tc.m, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%+v: no error, want %q", tc.m, tc.want)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%+v: error %q, want it to say %q", tc.m, err, w)
			}
		}
	}
}

func TestNewWorkerPanicsOnInvalidModel(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	NewWorker(Model{Concurrency: -1}, 1)
}

// holder replaces a worker's sleep: each job reports on entered and then
// holds its slot until release is closed or its ctx ends.
type holder struct {
	entered chan struct{}
	release chan struct{}
	running atomic.Int64
	max     atomic.Int64
}

func hold(w *Worker) *holder {
	h := &holder{entered: make(chan struct{}, 100), release: make(chan struct{})}
	w.sleep = func(ctx context.Context, _ time.Duration) error {
		n := h.running.Add(1)
		defer h.running.Add(-1)
		for m := h.max.Load(); n > m && !h.max.CompareAndSwap(m, n); m = h.max.Load() {
		}
		h.entered <- struct{}{}
		select {
		case <-h.release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return h
}

// waitEntered waits for n jobs to enter their service time.
func (h *holder) waitEntered(ctx context.Context, t *testing.T, n int) {
	t.Helper()
	for range n {
		select {
		case <-h.entered:
		case <-ctx.Done():
			t.Fatalf("jobs did not start: %v", ctx.Err())
		}
	}
}

func TestConcurrencyLimit(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	w := NewWorker(Model{Concurrency: 3}, 1)
	h := hold(w)

	const jobs = 10
	errs := make(chan error, jobs)
	for range jobs {
		go func() { errs <- w.Do(ctx) }()
	}
	h.waitEntered(ctx, t, 3)
	select {
	case <-h.entered:
		t.Fatal("a 4th job started while 3 held their slots")
	case <-time.After(50 * time.Millisecond):
	}
	close(h.release)
	h.waitEntered(ctx, t, jobs-3)
	for range jobs {
		if err := <-errs; err != nil {
			t.Errorf("Do: %v", err)
		}
	}
	if m := h.max.Load(); m != 3 {
		t.Errorf("at most %d jobs ran at once, want 3", m)
	}
}

func TestDefaultConcurrency(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	w := NewWorker(Model{}, 1)
	h := hold(w)
	done := make(chan error, DefaultConcurrency)
	for range DefaultConcurrency {
		go func() { done <- w.Do(ctx) }()
	}
	h.waitEntered(ctx, t, DefaultConcurrency)
	if ran, err := w.TryDo(ctx); ran || err != nil {
		t.Errorf("TryDo with %d jobs running = %v, %v; want false, nil", DefaultConcurrency, ran, err)
	}
	close(h.release)
	for range DefaultConcurrency {
		if err := <-done; err != nil {
			t.Errorf("Do: %v", err)
		}
	}
}

func TestTryDo(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	w := NewWorker(Model{Concurrency: 2}, 1)
	h := hold(w)
	done := make(chan error, 2)
	for range 2 {
		go func() { done <- w.Do(ctx) }()
	}
	h.waitEntered(ctx, t, 2)

	if ran, err := w.TryDo(ctx); ran || err != nil {
		t.Errorf("TryDo with every slot busy = %v, %v; want false, nil", ran, err)
	}
	close(h.release)
	for range 2 {
		if err := <-done; err != nil {
			t.Errorf("Do: %v", err)
		}
	}
	if ran, err := w.TryDo(ctx); !ran || err != nil {
		t.Errorf("TryDo with free slots = %v, %v; want true, nil", ran, err)
	}

	done2, cancel2 := context.WithCancel(ctx)
	cancel2()
	if ran, err := w.TryDo(done2); ran || !errors.Is(err, context.Canceled) {
		t.Errorf("TryDo with ctx done = %v, %v; want false, context.Canceled", ran, err)
	}
}

func TestFailureRate(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for _, rate := range []float64{0, 0.25, 1} {
		w := NewWorker(Model{Concurrency: 8, FailureRate: rate}, 7)
		const goroutines, each = 8, 2500
		var failed atomic.Int64
		var wg sync.WaitGroup
		errs := make(chan error, goroutines)
		for range goroutines {
			wg.Go(func() {
				for range each {
					switch err := w.Do(ctx); {
					case errors.Is(err, ErrFailed):
						failed.Add(1)
					case err != nil:
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("Do: %v", err)
		}
		got := float64(failed.Load()) / (goroutines * each)
		if math.Abs(got-rate) > 0.02 {
			t.Errorf("failure rate %v: %.3f of jobs failed", rate, got)
		}
	}
}

func TestDoSleepsTheServiceTime(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	w := NewWorker(Model{Service: Dist{Kind: Fixed, Median: 20 * time.Millisecond}}, 1)
	start := time.Now()
	if err := w.Do(ctx); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("a fixed:20ms job took %v", d)
	}
}

func TestDoHonoursCancel(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()

	// wantCancelled cancels a Do running in the background and waits for it.
	wantCancelled := func(t *testing.T, stop context.CancelFunc, errs <-chan error) {
		t.Helper()
		stop()
		select {
		case err := <-errs:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Do after cancel = %v, want context.Canceled", err)
			}
		case <-ctx.Done():
			t.Fatal("Do did not return after its ctx was cancelled")
		}
	}

	t.Run("sleeping", func(t *testing.T) {
		w := NewWorker(Model{Service: Dist{Kind: Fixed, Median: time.Hour}}, 1)
		jobCtx, stop := context.WithCancel(ctx)
		errs := make(chan error, 1)
		go func() { errs <- w.Do(jobCtx) }()
		time.Sleep(20 * time.Millisecond) // let it start sleeping; the result is the same if not
		wantCancelled(t, stop, errs)
	})

	t.Run("waiting for a slot", func(t *testing.T) {
		w := NewWorker(Model{Concurrency: 1}, 1)
		h := hold(w)
		held := make(chan error, 1)
		go func() { held <- w.Do(ctx) }()
		h.waitEntered(ctx, t, 1)

		jobCtx, stop := context.WithCancel(ctx)
		errs := make(chan error, 1)
		go func() { errs <- w.Do(jobCtx) }()
		wantCancelled(t, stop, errs)

		close(h.release)
		if err := <-held; err != nil {
			t.Errorf("the job holding the slot: %v", err)
		}
	})
}
