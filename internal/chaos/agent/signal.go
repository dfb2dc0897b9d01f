package agent

import (
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// signalAction names what a signal does in the journal: kill, terminate,
// or the signal's lower-case name.
func signalAction(sig syscall.Signal) string {
	switch sig {
	case syscall.SIGKILL:
		return "kill"
	case syscall.SIGTERM:
		return "terminate"
	}
	return strings.ToLower(unix.SignalName(sig))
}

// ParseSignal reads a signal by name (SIGKILL, KILL, kill) or number (9).
func ParseSignal(s string) (syscall.Signal, bool) {
	name := strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if sig := unix.SignalNum(name); sig != 0 {
		return sig, true
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 64 {
		return 0, false
	}
	return syscall.Signal(n), true
}
