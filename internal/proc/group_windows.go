package proc

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// ownProcessGroup starts a child in a process group of its own, so that a
// console's Ctrl-C reaches only loadgen, which then stops the children.
func ownProcessGroup() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// killGroup ends p at once. Windows kills no process group: what p itself
// started (the workers start nothing) would be left.
func killGroup(p *os.Process) { p.Kill() }

// terminateGroup ends p at once: windows has no SIGTERM to deliver, so a
// worker gets no clean shutdown there.
func terminateGroup(p *os.Process) { p.Kill() }

// sendSignal sends sig to p as windows can: SIGKILL and SIGTERM end it (there
// is no clean termination to ask for); no other signal exists there. Through
// the handle of a process this supervisor started, it never reaches a later
// process given the same PID.
func sendSignal(p *os.Process, sig syscall.Signal) error {
	switch sig {
	case syscall.SIGKILL, syscall.SIGTERM:
		return p.Kill()
	}
	return fmt.Errorf("signal %d: %w on windows, which can only end a process", int(sig), errors.ErrUnsupported)
}

// pauseChange: windows has no signal that pauses or resumes a process.
func pauseChange(syscall.Signal) (paused, changes bool) { return false, false }
