package chaos

import (
	"context"
	"syscall"

	"github.com/loadchaos/loadgen/internal/proc"
)

// Processes is what faults act through: the run's own supervisor, or a
// host's processes for the standalone agent (package agent's Host). Signal must refuse a
// process whose PID now belongs to another process than the one listed.
type Processes interface {
	Live() []proc.Info
	Signal(name string, sig syscall.Signal) error
}

// Restarter is a Processes that can start a process again by itself, as
// the embedded run's supervisor can: a signal fault that ends a process
// restarts it as its undo.
type Restarter interface {
	Restart(ctx context.Context, name string) (proc.Info, error)
}

// Outcome is what an injection or an undo did, for the journal.
type Outcome struct {
	Target  proc.Info // the process as it is now: a restart gives a new PID (0 when unknown)
	Command string    // the command run, for exec and restart
	Output  string    // its combined output, at most OutputLimit bytes
}

// Undo reverses a fault: restarts a killed process, resumes a paused one.
type Undo func(ctx context.Context) (Outcome, error)

// Fault is one kind of harm done to one process (or, for exec, to
// something that is not a local process).
type Fault interface {
	// Action names the fault in the journal: kill, terminate, pause, exec, ...
	Action() string
	// UndoAction names what its Undo does: restart, resume; "" when it has none.
	UndoAction() string
	// Inject does the harm. The Undo is nil when there is nothing to undo.
	// The Outcome is journaled also when err is not nil.
	Inject(ctx context.Context, procs Processes, target proc.Info) (Outcome, Undo, error)
}

// Simultaneous is a Fault whose injections into one event's targets run
// at once rather than in turn (Scale).
type Simultaneous interface {
	Fault
	simultaneous()
}
