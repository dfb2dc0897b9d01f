//go:build linux && !portable

package pace

import (
	"os"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// timerSleeper sleeps on a Linux timerfd read through Go's network poller:
// the sleeping goroutine is parked, not a thread blocked in a system call,
// so no thread hand-off or system-monitor retake happens per sleep, while
// the kernel timer keeps microsecond precision (Go's own timers wake late:
// docs/design.md, "Timer precision is part of the measurement"). Setting the timer and reading it never block, so both are raw
// system calls, which do not wake the runtime's system monitor either. Not
// safe for concurrent use: the pacer owns one.
type timerSleeper struct {
	fd   int
	conn syscall.RawConn // the fd, registered with the poller
	file *os.File
	buf  [8]byte // the expiration count each read returns
}

func newTimerSleeper() (*timerSleeper, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), "pacer-timer")
	conn, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &timerSleeper{fd: fd, conn: conn, file: f}, nil
}

func (t *timerSleeper) sleep(d time.Duration) {
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(max(int64(d), 1))}
	if _, _, errno := syscall.RawSyscall6(unix.SYS_TIMERFD_SETTIME, uintptr(t.fd), 0,
		uintptr(unsafe.Pointer(&spec)), 0, 0, 0); errno != 0 {
		time.Sleep(d)
		return
	}
	// Read parks the goroutine until the timer fires (the callback returns
	// false on EAGAIN); any other error only wakes early, and the pacer
	// re-checks the time.
	t.conn.Read(func(fd uintptr) bool {
		_, _, errno := syscall.RawSyscall(unix.SYS_READ, fd, uintptr(unsafe.Pointer(&t.buf[0])), uintptr(len(t.buf)))
		return errno != unix.EAGAIN
	})
}

func (t *timerSleeper) close() { t.file.Close() }
