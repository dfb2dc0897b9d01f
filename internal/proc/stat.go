package proc

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Stat is what loadgen reads of a process's /proc/PID/stat.
type Stat struct {
	Comm      string // the command name, as the process set it
	State     byte   // R, S, D, T (stopped), t, Z, ...
	PPID      int
	StartTime uint64 // clock ticks since boot: tells a reused PID apart
}

// ParseStat reads the contents of /proc/PID/stat. The command name (field
// 2) is set by the process and may hold spaces and parentheses: fields are
// counted after its last closing parenthesis. Its errors name the file of
// pid and quote nothing of data. It is plain parsing, on every platform,
// so that it is tested and fuzzed everywhere.
func ParseStat(pid int, data []byte) (Stat, error) {
	open, end := bytes.IndexByte(data, '('), bytes.LastIndexByte(data, ')')
	if open < 0 || end < open {
		return Stat{}, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	s := Stat{Comm: string(data[open+1 : end])}
	fields := strings.Fields(string(data[end+1:]))
	if len(fields) < 20 {
		return Stat{}, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields)+2)
	}
	s.State = fields[0][0]
	var err error
	if s.PPID, err = strconv.Atoi(fields[1]); err != nil {
		return Stat{}, fmt.Errorf("/proc/%d/stat: the parent is not a number", pid)
	}
	// starttime is field 22, the 20th after the command name.
	if s.StartTime, err = strconv.ParseUint(fields[19], 10, 64); err != nil {
		return Stat{}, fmt.Errorf("/proc/%d/stat: the start time is not a number", pid)
	}
	return s, nil
}
