package chaos

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/internal/proc"
)

// Event is one scheduled action: at At, hit what Select picks with Fault,
// and undo it For later (when For is 0, at the halt).
type Event struct {
	At     time.Duration
	Fault  Fault
	Select Selector
	For    time.Duration
}

// Injected is an event as it happened.
type Injected struct {
	Event   int
	TS      float64 // seconds since the start
	Action  string
	Targets []proc.Info
	For     time.Duration
}

// Runner plays events against processes, journaling each action.
type Runner struct {
	procs   Processes
	journal *Journal
	rng     *rand.Rand

	halt     chan struct{}
	haltOnce sync.Once
	undos    sync.WaitGroup

	mu       sync.Mutex
	injected []Injected
}

// NewRunner picks targets with a generator seeded by seed.
func NewRunner(procs Processes, journal *Journal, seed uint64) *Runner {
	return &Runner{procs: procs, journal: journal, rng: rand.New(rand.NewPCG(seed, 0x6368616f73)), halt: make(chan struct{})}
}

// Run injects each event at start+At, in order, until they are all done,
// ctx is done or Halt is called. Undos run on their own time and at a halt.
func (r *Runner) Run(ctx context.Context, start time.Time, events []Event) {
	order := make([]int, len(events))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return int(events[a].At - events[b].At) })
	for _, i := range order {
		timer := time.NewTimer(time.Until(start.Add(events[i].At)))
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return
		case <-r.halt:
			timer.Stop()
			return
		}
		r.inject(ctx, start, i, events[i])
	}
}

func (r *Runner) inject(ctx context.Context, start time.Time, index int, ev Event) {
	action := ev.Fault.Action()
	targets, err := ev.Select.Pick(r.procs.Live(), r.rng)
	if err != nil {
		r.journal.Write(Entry{Event: index, Stage: "failed", Action: action, Target: ev.Select.String(), Error: err.Error()})
		return
	}
	record := Injected{Event: index, TS: time.Since(start).Seconds(), Action: action, For: ev.For}
	for _, t := range targets {
		entry := Entry{Event: index, Action: action, Target: t.Name, Role: t.Role, Group: t.Group, PID: t.PID}
		r.journal.Write(with(entry, "intent", nil))
		undo, err := ev.Fault.Inject(ctx, r.procs, t)
		r.journal.Write(with(entry, "done", err))
		if err != nil {
			continue
		}
		record.Targets = append(record.Targets, t)
		r.undoLater(ctx, index, ev, t, undo)
	}
	r.mu.Lock()
	r.injected = append(r.injected, record)
	r.mu.Unlock()
}

// undoLater undoes a fault For after it, or at once at a halt; a fault
// with no For lasts until the halt, so that nothing is left paused or down.
func (r *Runner) undoLater(ctx context.Context, index int, ev Event, t proc.Info, undo Undo) {
	r.undos.Go(func() {
		var after <-chan time.Time
		if ev.For > 0 {
			timer := time.NewTimer(ev.For)
			defer timer.Stop()
			after = timer.C
		}
		select {
		case <-after:
		case <-r.halt:
		}
		entry := Entry{Event: index, Action: ev.Fault.UndoAction(), Target: t.Name, Role: t.Role, Group: t.Group, PID: t.PID}
		r.journal.Write(with(entry, "intent", nil))
		info, err := undo(context.WithoutCancel(ctx))
		if err == nil {
			entry.PID = info.PID
		}
		r.journal.Write(with(entry, "done", err))
	})
}

func with(e Entry, stage string, err error) Entry {
	e.Stage = stage
	if err != nil {
		e.Stage, e.Error = "failed", err.Error()
	}
	return e
}

// Halt stops injecting and undoes every fault still in force now: paused
// processes resume, killed ones restart. It is safe to call more than once
// and returns when every undo has finished.
func (r *Runner) Halt() {
	r.haltOnce.Do(func() { close(r.halt) })
	r.undos.Wait()
}

// Injected lists the events injected so far, in order.
func (r *Runner) Injected() []Injected {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.injected)
}
