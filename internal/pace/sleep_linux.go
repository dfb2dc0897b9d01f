//go:build linux && !portable

package pace

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// newSleeper returns the pacer's sleep and what to call once the pacer is
// done with it: a timerfd read through Go's poller, or where the kernel
// refuses one, a nanosleep on a thread of its own. Call it from the
// goroutine that sleeps: the fallback locks that goroutine to its thread.
func newSleeper() (sleep func(time.Duration), release func()) {
	if t, err := newTimerSleeper(); err == nil {
		return t.sleep, t.close
	}
	runtime.LockOSThread()
	raisePriority()
	return nanosleep, runtime.UnlockOSThread
}

func nanosleep(d time.Duration) {
	ts := unix.NsecToTimespec(int64(d))
	unix.Nanosleep(&ts, nil) // an interrupted sleep just wakes early; the loop re-checks the time
}

// raisePriority asks the kernel to favour the pacer's thread (nice -10) so
// that it wakes on time on a busy machine. Only root may; others keep the
// default priority, and the run's lag figures show what that cost.
func raisePriority() {
	unix.Setpriority(unix.PRIO_PROCESS, unix.Gettid(), -10)
}
