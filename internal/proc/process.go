package proc

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ReadyPrefix starts the line a child prints on standard output once it
// serves; the rest of the line is its address, if it has one.
const ReadyPrefix = "READY"

// Spec says how to start one process.
type Spec struct {
	Name  string   // unique in the run, such as "backend-1" or "consumer-email-2"
	Role  string   // "backend" or "consumer"
	Group string   // the consumer group, for consumers
	Path  string   // the executable
	Args  []string // without the executable
	Env   []string // added to this process's environment, such as secrets kept off the command line
}

// Info is what the registry records of a live process, and what chaos
// selects on.
type Info struct {
	Name      string `json:"name"`
	Role      string `json:"role"`
	Group     string `json:"group,omitempty"`
	PID       int    `json:"pid"`
	StartTime uint64 `json:"start_time_ticks"` // from /proc/PID/stat: tells a reused PID apart
	Addr      string `json:"addr,omitempty"`
	Paused    bool   `json:"paused,omitempty"`
}

// StartTime reads when a process started, in clock ticks since boot, from
// /proc/PID/stat. Two processes with the same PID never share it.
func StartTime(pid int) (uint64, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces and parentheses: skip past
	// its closing parenthesis; starttime is field 22, the 20th after it.
	s := string(data)
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	fields := strings.Fields(s[end+1:])
	if len(fields) < 20 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields)+2)
	}
	return strconv.ParseUint(fields[19], 10, 64)
}
