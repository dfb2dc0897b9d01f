package agent

import (
	"context"
	"fmt"
	"syscall"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/proc"
)

// DefaultRestartGrace is how long Restart waits for a process to exit after
// its signal before it sends SIGKILL.
const DefaultRestartGrace = 10 * time.Second

// Restart stops a process with Sig (SIGTERM when 0), waits up to Grace
// (DefaultRestartGrace when 0) for it to exit and kills it if it has not,
// then, as its undo, runs Command to bring the worker back: such as
// `systemctl start worker@{{.Name}}`. The undo runs when the action's
// `for` has passed, or at the halt.
type Restart struct {
	Sig     syscall.Signal
	Grace   time.Duration
	Command *Command
}

var _ chaos.Fault = Restart{}

func (r Restart) Action() string   { return signalAction(r.signal()) }
func (Restart) UndoAction() string { return "restart" }

func (r Restart) signal() syscall.Signal {
	if r.Sig == 0 {
		return syscall.SIGTERM
	}
	return r.Sig
}

func (r Restart) Inject(ctx context.Context, procs chaos.Processes, target proc.Info) (chaos.Outcome, chaos.Undo, error) {
	out := chaos.Outcome{Target: target}
	if err := procs.Signal(target.Name, r.signal()); err != nil {
		return out, nil, err
	}
	grace := r.Grace
	if grace <= 0 {
		grace = DefaultRestartGrace
	}
	err := waitExit(ctx, target, grace)
	if err != nil && r.signal() != syscall.SIGKILL {
		if err := procs.Signal(target.Name, syscall.SIGKILL); err != nil {
			return out, nil, fmt.Errorf("still running %v after %v, and SIGKILL failed: %w", grace, r.signal(), err)
		}
		err = waitExit(ctx, target, grace)
	}
	if err != nil {
		return out, nil, fmt.Errorf("wait for exit: %w", err)
	}
	return out, func(ctx context.Context) (chaos.Outcome, error) {
		line, output, err := r.Command.Run(ctx, target)
		return chaos.Outcome{Target: proc.Info{Name: target.Name, Role: target.Role, Group: target.Group}, Command: line, Output: output}, err
	}, nil
}

// waitExit waits up to timeout until target, a process a pick returned
// (its PID and start time), has exited.
func waitExit(ctx context.Context, target proc.Info, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return waitGone(ctx, target.PID, target.StartTime)
}
