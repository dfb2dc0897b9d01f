//go:build !linux || portable

package proc

import (
	"errors"
	"fmt"
)

// StartTime is when a process started, which only Linux tells (from
// /proc/PID/stat): elsewhere it fails with errors.ErrUnsupported and the
// registry records 0. The supervisor itself needs no start time: it
// signals through the handle of the process it started, which never
// reaches a later process given the same PID.
func StartTime(pid int) (uint64, error) {
	return 0, fmt.Errorf("start time of pid %d: %w", pid, errors.ErrUnsupported)
}
