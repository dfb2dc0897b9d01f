package chaos

import (
	"context"
	"syscall"

	"github.com/loadchaos/loadgen/internal/proc"
)

// Pause freezes a process with SIGSTOP, as a long GC pause or a stalled VM
// would: it holds its connections and its group membership but does
// nothing. Its undo resumes it with SIGCONT.
type Pause struct{}

var _ Fault = Pause{}

func (Pause) Action() string     { return "pause" }
func (Pause) UndoAction() string { return "resume" }

func (Pause) Inject(_ context.Context, procs Processes, target proc.Info) (Undo, error) {
	if err := procs.Signal(target.Name, syscall.SIGSTOP); err != nil {
		return nil, err
	}
	return func(context.Context) (proc.Info, error) {
		target.Paused = false
		return target, procs.Signal(target.Name, syscall.SIGCONT)
	}, nil
}
