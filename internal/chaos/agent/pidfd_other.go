//go:build !linux || portable

package agent

import (
	"context"
	"syscall"
)

// signalSame would send sig to pid if pid were still the process that
// started at start; off Linux it cannot tell, so it sends nothing.
func signalSame(int, uint64, syscall.Signal) error { return errNotLinux }

// waitGone would wait until the process pid that started at start has
// exited; off Linux it cannot tell.
func waitGone(context.Context, int, uint64) error { return errNotLinux }
