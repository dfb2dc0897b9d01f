//go:build linux && !portable

package proc

import (
	"os"
	"strconv"
)

// StartTime reads when a process started, in clock ticks since boot, from
// /proc/PID/stat. Two processes with the same PID never share it.
func StartTime(pid int) (uint64, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	s, err := ParseStat(pid, data)
	if err != nil {
		return 0, err
	}
	return s.StartTime, nil
}
