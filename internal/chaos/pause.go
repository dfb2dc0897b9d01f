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

func (Pause) Inject(_ context.Context, procs Processes, target proc.Info) (Outcome, Undo, error) {
	if err := procs.Signal(target.Name, syscall.SIGSTOP); err != nil {
		return Outcome{Target: target}, nil, err
	}
	return Outcome{Target: target}, func(context.Context) (Outcome, error) {
		target.Paused = false
		return Outcome{Target: target}, procs.Signal(target.Name, syscall.SIGCONT)
	}, nil
}
