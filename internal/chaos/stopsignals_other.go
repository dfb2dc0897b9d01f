//go:build !windows

package chaos

import "syscall"

// stopSignals are the signals that freeze a process and resume it.
func stopSignals() (stop, cont syscall.Signal, err error) {
	return syscall.SIGSTOP, syscall.SIGCONT, nil
}
