//go:build linux && !portable

package agent

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// The signals that pause and resume a process, as this architecture
// numbers them.
const (
	sigStop = syscall.SIGSTOP
	sigCont = syscall.SIGCONT
)

// signalNum is the signal named name (SIGHUP), or 0.
func signalNum(name string) syscall.Signal { return unix.SignalNum(name) }

// signalName names sig (SIGHUP), or "" for a number without a name.
func signalName(sig syscall.Signal) string { return unix.SignalName(sig) }
