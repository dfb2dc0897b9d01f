package chaos

import (
	"context"
	"strconv"
	"strings"
	"syscall"

	"github.com/loadchaos/loadgen/internal/proc"
)

// Signal sends a signal to a worker of the embedded drill: SIGKILL (kill,
// a crash), SIGTERM (terminate, a clean shutdown) or any other. When the
// processes can restart by themselves (Restarter, the embedded run's
// supervisor), its undo starts the process again.
type Signal struct{ Sig syscall.Signal }

var _ Fault = Signal{}

func (s Signal) Action() string { return SignalAction(s.Sig, "") }

func (Signal) UndoAction() string { return "restart" }

func (s Signal) Inject(_ context.Context, procs Processes, target proc.Info) (Outcome, Undo, error) {
	if err := procs.Signal(target.Name, s.Sig); err != nil {
		return Outcome{Target: target}, nil, err
	}
	restarter, ok := procs.(Restarter)
	if !ok {
		return Outcome{Target: target}, nil, nil
	}
	return Outcome{Target: target}, func(ctx context.Context) (Outcome, error) {
		info, err := restarter.Restart(ctx, target.Name)
		return Outcome{Target: info}, err
	}, nil
}

// SignalAction names what a signal does in a journal: kill, terminate,
// the lower-cased name given (sighup), or signal-N without one. The drill
// sends only the first two; package agent names the others.
func SignalAction(sig syscall.Signal, name string) string {
	switch sig {
	case syscall.SIGKILL:
		return "kill"
	case syscall.SIGTERM:
		return "terminate"
	}
	if name != "" {
		return strings.ToLower(name)
	}
	return "signal-" + strconv.Itoa(int(sig))
}
