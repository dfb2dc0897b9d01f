//go:build linux && !portable

package agent

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/loadchaos/loadgen/internal/proc"
)

// signalSame sends sig to pid only if pid is still the process that
// started at start (clock ticks since boot). It opens a pidfd first, which
// pins the process the PID names at that moment, then checks the start
// time, then signals through the pidfd: no window remains in which the PID
// could be reused between the check and the signal. Kernels without pidfd
// (before 5.3) fall back to a check then kill(2).
func signalSame(pid int, start uint64, sig syscall.Signal) error {
	fd, err := unix.PidfdOpen(pid, 0)
	if errors.Is(err, unix.ENOSYS) {
		if err := sameStart(pid, start); err != nil {
			return err
		}
		return syscall.Kill(pid, sig)
	}
	if err != nil {
		return fmt.Errorf("pid %d: %w", pid, ErrReused)
	}
	defer unix.Close(fd)
	if err := sameStart(pid, start); err != nil {
		return err
	}
	if err := unix.PidfdSendSignal(fd, sig, nil, 0); err != nil {
		if errors.Is(err, unix.ESRCH) {
			return fmt.Errorf("pid %d: %w", pid, ErrReused)
		}
		return fmt.Errorf("signal pid %d: %w", pid, err)
	}
	return nil
}

func sameStart(pid int, start uint64) error {
	if now, err := proc.StartTime(pid); err != nil || now != start {
		return fmt.Errorf("pid %d: %w", pid, ErrReused)
	}
	return nil
}

// waitGone waits until the process pid that started at start has exited
// (a zombie counts as exited), or ctx is done.
func waitGone(ctx context.Context, pid int, start uint64) error {
	fd, err := unix.PidfdOpen(pid, 0)
	switch {
	case err == nil:
		defer unix.Close(fd)
	case errors.Is(err, unix.ENOSYS):
		fd = -1 // poll /proc instead
	default:
		return nil // gone already
	}
	for sameStart(pid, start) == nil && !zombie(pid) {
		if fd >= 0 {
			// A pidfd becomes readable when its process exits.
			if n, _ := unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}, 50); n > 0 {
				return nil
			}
		} else {
			time.Sleep(50 * time.Millisecond)
		}
		if ctx.Err() != nil {
			return fmt.Errorf("pid %d still running: %w", pid, ctx.Err())
		}
	}
	return nil
}

func zombie(pid int) bool {
	p, err := inspect(pid)
	return err != nil || p.State == 'Z' || p.State == 'X'
}
