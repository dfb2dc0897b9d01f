package agent

import (
	"context"
	"strconv"
	"strings"
	"syscall"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/proc"
)

// Signal sends a signal to a host's process: SIGKILL (kill, a crash),
// SIGTERM (terminate, a clean shutdown) or any other (named after it:
// sighup, sigusr1). It has no undo: bringing a worker back is its own
// supervisor's job, or Restart's.
type Signal struct{ Sig syscall.Signal }

var _ chaos.Fault = Signal{}

func (s Signal) Action() string   { return signalAction(s.Sig) }
func (Signal) UndoAction() string { return "" }

func (s Signal) Inject(_ context.Context, procs chaos.Processes, target proc.Info) (chaos.Outcome, chaos.Undo, error) {
	return chaos.Outcome{Target: target}, nil, procs.Signal(target.Name, s.Sig)
}

// signalAction names what a signal does in the journal, by its Linux name
// (see chaos.SignalAction).
func signalAction(sig syscall.Signal) string { return chaos.SignalAction(sig, signalName(sig)) }

// ParseSignal reads a signal by name (SIGKILL, KILL, kill) or number (9).
func ParseSignal(s string) (syscall.Signal, bool) {
	name := strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if sig := signalNum(name); sig != 0 {
		return sig, true
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 64 {
		return 0, false
	}
	return syscall.Signal(n), true
}

// StopsOrContinues reports whether sig is SIGSTOP or SIGCONT: those are the
// pause fault's, whose undo resumes what it stops, never a kill's.
func StopsOrContinues(sig syscall.Signal) bool { return sig == sigStop || sig == sigCont }
