package chaos

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loadchaos/loadgen/internal/proc"
)

// Event is one scheduled action: at At, hit what Select picks with Fault,
// and undo it For later (when For is 0, at the halt).
type Event struct {
	Name   string // the experiment action it comes from, journaled; "" for a profile's
	At     time.Duration
	Fault  Fault
	Select Picker // nil: the fault needs no process (exec without a selector) and runs once
	For    time.Duration

	// When, for an event triggered by the load, fires it when the condition
	// starts to hold instead of at At: watched from the start until Until
	// (0: until the run ends), it fires at most Times times (0: once), each
	// time the condition goes from not holding to holding.
	When  Condition
	Until time.Duration
	Times int
	// Moment names the moment of the load's schedule that At stands for
	// ("burst.peak[1]"), journaled with the event. Missed, when not empty,
	// says why that moment never comes in this run: the event is then
	// journaled as not fired, and the run goes on.
	Moment string
	Missed string
}

// Condition is a figure of the load under way and a bound on it, such as
// "async.max_lag > 500" over the last second.
type Condition interface {
	// Check returns the figure now and whether it is past the bound; a
	// figure not known yet does not hold.
	Check() (value float64, holds bool)
	String() string
}

// DefaultWatchEvery is how often a runner checks the conditions of events
// triggered by the load: the run's live figures change once a second, so
// four looks a second fire within a quarter of a second of a change.
const DefaultWatchEvery = 250 * time.Millisecond

// trigger is what fired an injection, journaled: the condition and the
// figure it found, or the moment of the schedule; zero for a plain time.
type trigger struct {
	when  string
	value *float64
}

// Injected is an event as it happened.
type Injected struct {
	Event   int           `json:"event"`
	Name    string        `json:"name,omitempty"`
	TS      float64       `json:"t_s"` // seconds since the start
	Action  string        `json:"action"`
	Targets []proc.Info   `json:"targets"`
	For     time.Duration `json:"-"`
	DryRun  bool          `json:"dry_run,omitempty"`
}

// Probe is a steady-state check: Check returns nil while the system under
// test is healthy.
type Probe interface {
	Check(ctx context.Context) error
	String() string
}

// ErrProbeFailed is wrapped by the error of an injection that a failing
// steady-state probe stopped.
var ErrProbeFailed = errors.New("steady-state probe failed")

// ErrHalted is returned for an injection asked of a halted runner.
var ErrHalted = errors.New("the runner is halted")

// RunnerOption configures a Runner.
type RunnerOption func(*Runner)

// Disarmed makes a runner journal what it would do (dry_run: true) and do
// nothing, until Arm. By default a runner is armed: the embedded drill's
// workers are its own.
func Disarmed() RunnerOption { return func(r *Runner) { r.armed.Store(false) } }

// WatchEvery checks the conditions of events triggered by the load every
// d instead of DefaultWatchEvery.
func WatchEvery(d time.Duration) RunnerOption { return func(r *Runner) { r.watchEvery = d } }

// WithProbe checks p before each injection; when it fails, the injection is
// journaled as failed and Run returns an error wrapping ErrProbeFailed.
func WithProbe(p Probe) RunnerOption { return func(r *Runner) { r.probe = p } }

// Runner plays events against processes, journaling each action.
type Runner struct {
	procs      Processes
	journal    *Journal
	probe      Probe
	armed      atomic.Bool
	watchEvery time.Duration

	halt     chan struct{}
	haltOnce sync.Once
	undos    sync.WaitGroup // every pending undo
	timed    sync.WaitGroup // the pending undos that have a For
	untimed  atomic.Int64   // the pending undos that wait for the halt

	injectMu sync.Mutex // one injection at a time: picks see the faults before them
	rng      *rand.Rand // guarded by injectMu
	next     int        // the next event index for Trigger, guarded by injectMu

	mu       sync.Mutex
	injected []Injected
	failures int
}

// NewRunner picks targets with a generator seeded by seed.
func NewRunner(procs Processes, journal *Journal, seed uint64, opts ...RunnerOption) *Runner {
	r := &Runner{procs: procs, journal: journal, rng: rand.New(rand.NewPCG(seed, 0x6368616f73)), halt: make(chan struct{}),
		watchEvery: DefaultWatchEvery}
	r.armed.Store(true)
	for _, o := range opts {
		o(r)
	}
	return r
}

// Arm makes the runner act (on) or only journal what it would do (off).
func (r *Runner) Arm(on bool) { r.armed.Store(on) }

// Armed reports whether the runner acts.
func (r *Runner) Armed() bool { return r.armed.Load() }

// Run injects each event at start+At, in order, and each event with a
// condition when it holds (see Event.When), until they are all done, ctx is
// done or Halt is called. Undos run on their own time and at a halt. It
// returns an error wrapping ErrProbeFailed when the steady-state probe
// stopped an injection; the timed events after it are not injected.
func (r *Runner) Run(ctx context.Context, start time.Time, events []Event) error {
	var watchers sync.WaitGroup
	watchErr := make(chan error, len(events))
	var order []int
	for i, ev := range events {
		switch {
		case ev.Missed != "":
			r.notFired(i, ev, ev.Missed)
		case ev.When != nil:
			watchers.Go(func() { watchErr <- r.watch(ctx, start, i, ev) })
		default:
			order = append(order, i)
		}
	}
	err := r.runTimed(ctx, start, events, order)
	watchers.Wait()
	close(watchErr)
	for e := range watchErr {
		err = cmp.Or(err, e)
	}
	return err
}

// runTimed injects the events of order at their times.
func (r *Runner) runTimed(ctx context.Context, start time.Time, events []Event, order []int) error {
	slices.SortStableFunc(order, func(a, b int) int { return int(events[a].At - events[b].At) })
	for _, i := range order {
		timer := time.NewTimer(time.Until(start.Add(events[i].At)))
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-r.halt:
			timer.Stop()
			return nil
		}
		if _, err := r.inject(ctx, start, i, events[i], trigger{when: events[i].Moment}); errors.Is(err, ErrProbeFailed) {
			return err
		}
	}
	return nil
}

// Trigger injects ev now, outside any schedule (the chaos API's trigger),
// and returns what it hit. Its event index follows the previous trigger's.
func (r *Runner) Trigger(ctx context.Context, ev Event) (Injected, error) {
	r.injectMu.Lock()
	index := r.next
	r.next++
	r.injectMu.Unlock()
	return r.inject(ctx, r.journal.start, index, ev, trigger{})
}

// inject hits what ev selects now. The error is the first failure: the
// probe, the selection, or an injection (the others are still tried).
func (r *Runner) inject(ctx context.Context, start time.Time, index int, ev Event, by trigger) (Injected, error) {
	r.injectMu.Lock()
	defer r.injectMu.Unlock()
	action := ev.Fault.Action()
	dryRun := !r.armed.Load()
	record := Injected{Event: index, Name: ev.Name, Action: action, For: ev.For, DryRun: dryRun}
	select {
	case <-r.halt:
		return record, ErrHalted
	default:
	}
	if r.probe != nil {
		if err := r.probe.Check(ctx); err != nil {
			err = fmt.Errorf("%w: %w", ErrProbeFailed, err)
			r.journal.Write(Entry{Event: index, Name: ev.Name, Stage: StageFailed, Action: "probe", Target: r.probe.String(), DryRun: dryRun, Error: err.Error()})
			return record, r.failed(err)
		}
	}
	targets := []proc.Info{{Name: ev.Name}}
	if ev.Select != nil {
		var err error
		if targets, err = ev.Select.Targets(r.procs, r.rng); err != nil {
			r.journal.Write(Entry{Event: index, Name: ev.Name, Stage: StageFailed, Action: action, Target: ev.Select.String(), DryRun: dryRun, Error: err.Error()})
			return record, r.failed(err)
		}
	}
	record.TS = time.Since(start).Seconds()
	hit, errs := make([]proc.Info, len(targets)), make([]error, len(targets))
	each := func(i int) { hit[i], errs[i] = r.hit(ctx, index, ev, by, dryRun, targets[i]) }
	if _, together := ev.Fault.(Simultaneous); together {
		var wg sync.WaitGroup
		for i := range targets {
			wg.Go(func() { each(i) })
		}
		wg.Wait()
	} else {
		for i := range targets {
			each(i)
		}
	}
	var firstErr error
	for i, err := range errs {
		if err != nil {
			if err := r.failed(fmt.Errorf("%s %s: %w", action, targets[i].Name, err)); firstErr == nil {
				firstErr = err
			}
			continue
		}
		record.Targets = append(record.Targets, hit[i])
	}
	r.mu.Lock()
	r.injected = append(r.injected, record)
	r.mu.Unlock()
	return record, firstErr
}

// hit injects ev's fault into one target, journaling its intent before
// and its outcome after, and has it undone in time. It returns the target
// as it is now: a process the fault started has its PID.
func (r *Runner) hit(ctx context.Context, index int, ev Event, by trigger, dryRun bool, t proc.Info) (proc.Info, error) {
	entry := Entry{Event: index, Name: ev.Name, Action: ev.Fault.Action(), Target: t.Name, Role: t.Role, Group: t.Group, PID: t.PID,
		DryRun: dryRun, ForS: ev.For.Seconds(), When: by.when, Value: by.value}
	r.journal.Write(with(entry, StageIntent, nil))
	out, undo, err := Outcome{Target: t}, Undo(nil), error(nil)
	if !dryRun {
		out, undo, err = ev.Fault.Inject(ctx, r.procs, t)
	}
	if out.Target.PID != 0 {
		t.PID, entry.PID = out.Target.PID, out.Target.PID
	}
	entry.Command, entry.Output = out.Command, out.Output
	r.journal.Write(with(entry, StageDone, err))
	if err == nil && undo != nil {
		r.undoLater(ctx, index, ev, t, undo)
	}
	return t, err
}

// failed counts a failure and returns it.
func (r *Runner) failed(err error) error {
	r.mu.Lock()
	r.failures++
	r.mu.Unlock()
	return err
}

// undoLater undoes a fault For after it, or at once at a halt; a fault
// with no For lasts until the halt, so that nothing is left paused or down.
func (r *Runner) undoLater(ctx context.Context, index int, ev Event, t proc.Info, undo Undo) {
	if ev.For > 0 {
		r.timed.Add(1)
	} else {
		r.untimed.Add(1)
	}
	r.undos.Go(func() {
		var after <-chan time.Time
		if ev.For > 0 {
			defer r.timed.Done()
			timer := time.NewTimer(ev.For)
			defer timer.Stop()
			after = timer.C
		} else {
			defer r.untimed.Add(-1)
		}
		select {
		case <-after:
		case <-r.halt:
		}
		entry := Entry{Event: index, Name: ev.Name, Action: ev.Fault.UndoAction(), Target: t.Name, Role: t.Role, Group: t.Group, PID: t.PID}
		r.journal.Write(with(entry, StageIntent, nil))
		out, err := undo(context.WithoutCancel(ctx))
		if out.Target.PID != 0 {
			entry.PID = out.Target.PID
		}
		entry.Command, entry.Output = out.Command, out.Output
		r.journal.Write(with(entry, StageDone, err))
		if err != nil {
			r.failed(err)
		}
	})
}

func with(e Entry, stage string, err error) Entry {
	e.Stage = stage
	if err != nil {
		e.Stage, e.Error = StageFailed, err.Error()
	}
	return e
}

// Settle waits until every fault with a For has been undone and, when a
// fault without one is in force (it lasts until the halt), until ctx is
// done; or until the runner is halted. Call it after Run, before Halt.
func (r *Runner) Settle(ctx context.Context) {
	done := make(chan struct{})
	go func() { r.timed.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return
	case <-r.halt:
		return
	}
	if r.untimed.Load() > 0 {
		select {
		case <-ctx.Done():
		case <-r.halt:
		}
	}
}

// Halt stops injecting and undoes every fault still in force now: paused
// processes resume, killed ones restart. An injection under way finishes
// first (cancel its context to cut a command or a wait for an exit short).
// It is safe to call more than once and from several goroutines, and
// returns when every undo has finished.
func (r *Runner) Halt() {
	r.haltOnce.Do(func() { close(r.halt) })
	r.injectMu.Lock() // an injection under way finishes first, so its undos are waited for
	r.injectMu.Unlock()
	r.undos.Wait()
}

// Injected lists the events injected so far, in order.
func (r *Runner) Injected() []Injected {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.injected)
}

// Failures counts what could not be done: selections refused, injections
// and undos that failed, probes that failed.
func (r *Runner) Failures() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failures
}
