//go:build linux && !portable

package agent

import (
	"os"
	"strconv"
)

// inspect reads one process from /proc.
func inspect(pid int) (HostProc, error) {
	dir := "/proc/" + strconv.Itoa(pid)
	stat, err := os.ReadFile(dir + "/stat")
	if err != nil {
		return HostProc{}, err
	}
	files := procFiles{stat: stat}
	files.cmdline, _ = os.ReadFile(dir + "/cmdline")
	files.exe, _ = os.Readlink(dir + "/exe")
	files.cgroup, _ = os.ReadFile(dir + "/cgroup")
	return parseProc(pid, files)
}

// listPIDs lists the processes of /proc, some of which may have exited
// since.
func listPIDs() ([]int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	var pids []int
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}
