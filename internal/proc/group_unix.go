//go:build unix

package proc

import (
	"os"
	"syscall"
)

// ownProcessGroup starts a child in a process group of its own, so that a
// terminal's Ctrl-C reaches only loadgen, which then stops the children in
// order.
func ownProcessGroup() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// killGroup ends p and whatever else runs in its process group at once.
func killGroup(p *os.Process) { syscall.Kill(-p.Pid, syscall.SIGKILL) }

// terminateGroup asks p's process group to stop (SIGTERM), resuming it
// first if it was paused, so that it can.
func terminateGroup(p *os.Process) {
	syscall.Kill(-p.Pid, syscall.SIGTERM)
	syscall.Kill(-p.Pid, syscall.SIGCONT)
}

// sendSignal sends sig to p alone. Through the handle of a process this
// supervisor started, it fails with os.ErrProcessDone once the process has
// been waited for, and so never reaches a later process given the same PID.
func sendSignal(p *os.Process, sig syscall.Signal) error { return p.Signal(sig) }

// pauseChange tells whether sig pauses or resumes a process (changes), and
// which (paused).
func pauseChange(sig syscall.Signal) (paused, changes bool) {
	switch sig {
	case syscall.SIGSTOP:
		return true, true
	case syscall.SIGCONT:
		return false, true
	}
	return false, false
}
