//go:build !linux || portable

package agent

import "syscall"

// Off Linux the agent signals nothing, but it still reads experiments and
// flags as a Linux host would: by the numbers Linux gives its signals on
// amd64, arm64 and most other architectures (asm-generic).
var linuxSignals = [...]string{
	1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
	8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE",
	14: "SIGALRM", 15: "SIGTERM", 16: "SIGSTKFLT", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP",
	20: "SIGTSTP", 21: "SIGTTIN", 22: "SIGTTOU", 23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ",
	26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH", 29: "SIGIO", 30: "SIGPWR", 31: "SIGSYS",
}

// The signals that pause and resume a process on Linux.
const (
	sigStop syscall.Signal = 19
	sigCont syscall.Signal = 18
)

// signalNum is the signal named name (SIGHUP), or 0.
func signalNum(name string) syscall.Signal {
	for n, known := range linuxSignals {
		if known != "" && known == name {
			return syscall.Signal(n)
		}
	}
	return 0
}

// signalName names sig (SIGHUP), or "" for a number without a name.
func signalName(sig syscall.Signal) string {
	if sig < 1 || int(sig) >= len(linuxSignals) {
		return ""
	}
	return linuxSignals[sig]
}
