package chaos

import (
	"context"
	"syscall"

	"github.com/loadchaos/loadgen/internal/proc"
)

// Signal ends a process with a signal: SIGKILL (kill, a crash) or SIGTERM
// (terminate, a clean shutdown). Its undo starts the process again.
type Signal struct{ Sig syscall.Signal }

var _ Fault = Signal{}

func (s Signal) Action() string {
	if s.Sig == syscall.SIGKILL {
		return "kill"
	}
	return "terminate"
}

func (Signal) UndoAction() string { return "restart" }

func (s Signal) Inject(_ context.Context, procs Processes, target proc.Info) (Undo, error) {
	if err := procs.Signal(target.Name, s.Sig); err != nil {
		return nil, err
	}
	return func(ctx context.Context) (proc.Info, error) { return procs.Restart(ctx, target.Name) }, nil
}
