//go:build linux && !portable

package agent

import (
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// userHZ is the unit of /proc/PID/stat's start time: USER_HZ clock ticks,
// 100 a second on every architecture Go runs on under Linux.
const userHZ = 100

// startedAt converts a process's start time in clock ticks since boot to
// the wall clock. The kernel counts those ticks on CLOCK_BOOTTIME (suspend
// included), so the offset between that clock and the wall clock now is
// added. A wall clock stepped since the time being compared was taken
// shifts the comparison by the step.
func startedAt(ticks uint64) (time.Time, error) {
	var boot unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &boot); err != nil {
		return time.Time{}, fmt.Errorf("read the boot clock: %w", err)
	}
	now := time.Now().Round(0)
	sinceStart := time.Duration(boot.Nano()) - time.Duration(ticks)*(time.Second/userHZ)
	return now.Add(-sinceStart), nil
}
