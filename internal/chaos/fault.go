package chaos

import (
	"context"
	"syscall"

	"github.com/loadchaos/loadgen/internal/proc"
)

// Processes is what faults act through: the run's own supervisor, or a
// host's processes for the standalone agent. Signal must refuse a process
// whose PID now belongs to another process than the one listed.
type Processes interface {
	Live() []proc.Info
	Signal(name string, sig syscall.Signal) error
	Restart(ctx context.Context, name string) (proc.Info, error)
}

// Undo reverses a fault: restarts a killed process, resumes a paused one.
type Undo func(ctx context.Context) (proc.Info, error)

// Fault is one kind of harm done to one process.
type Fault interface {
	// Action names the fault in the journal: kill, terminate, pause.
	Action() string
	// UndoAction names what its Undo does: restart, resume.
	UndoAction() string
	Inject(ctx context.Context, procs Processes, target proc.Info) (Undo, error)
}
