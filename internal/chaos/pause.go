package chaos

import (
	"context"
	"errors"
	"runtime"

	"github.com/loadchaos/loadgen/internal/proc"
)

// Pause freezes a process with SIGSTOP, as a long GC pause or a stalled VM
// would: it holds its connections and its group membership but does
// nothing. Its undo resumes it with SIGCONT. Where the system has no such
// signals (windows) it fails with ErrPauseUnsupported and signals nothing.
type Pause struct{}

var _ Fault = Pause{}

func (Pause) Action() string     { return "pause" }
func (Pause) UndoAction() string { return "resume" }

func (Pause) Inject(_ context.Context, procs Processes, target proc.Info) (Outcome, Undo, error) {
	stop, cont, err := stopSignals()
	if err != nil {
		return Outcome{Target: target}, nil, err
	}
	if err := procs.Signal(target.Name, stop); err != nil {
		return Outcome{Target: target}, nil, err
	}
	return Outcome{Target: target}, func(context.Context) (Outcome, error) {
		target.Paused = false
		return Outcome{Target: target}, procs.Signal(target.Name, cont)
	}, nil
}

// ErrPauseUnsupported is the error of a pause where the system cannot
// freeze a process.
var ErrPauseUnsupported = errors.New("pause is not supported on " + runtime.GOOS + ": it has no SIGSTOP")
