package agent

import (
	"errors"
	"strconv"
	"time"

	"github.com/loadchaos/loadgen/internal/secretfile"
)

// maxPIDFileBytes bounds what is read of a pidfile: a PID takes at most 7
// digits, which leaves room for blanks around it.
const maxPIDFileBytes = 64

// maxPID is the largest PID Linux hands out (PID_MAX_LIMIT, 2^22).
const maxPID = 1 << 22

// errNotAPID is a pidfile whose content is not one PID; like every pidfile
// error it never quotes the content, which may be anyone's secret.
var errNotAPID = errors.New("does not hold one process id (digits, 1 to 4194304, blanks around them allowed)")

// parsePID reads a pidfile's content strictly: ASCII blanks, the decimal
// digits of a PID from 1 to maxPID without a sign or leading zeros, blanks.
func parsePID(data []byte) (int, error) {
	isBlank := func(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }
	start, end := 0, len(data)
	for start < end && isBlank(data[start]) {
		start++
	}
	for end > start && isBlank(data[end-1]) {
		end--
	}
	digits := data[start:end]
	if len(digits) == 0 || len(digits) > 7 || digits[0] == '0' {
		return 0, errNotAPID
	}
	pid := 0
	for _, b := range digits {
		if b < '0' || b > '9' {
			return 0, errNotAPID
		}
		pid = pid*10 + int(b-'0')
	}
	if pid > maxPID {
		return 0, errNotAPID
	}
	return pid, nil
}

// readPIDFile reads a pidfile: a regular file no other user may write, of
// at most maxPIDFileBytes, holding one PID. It returns the PID and when the
// file was last written.
func readPIDFile(path string) (int, time.Time, error) {
	f, fi, err := secretfile.OpenRegular(path)
	if err != nil {
		return 0, time.Time{}, err
	}
	defer f.Close()
	if err := refuseWritableByAnyone(fi); err != nil {
		return 0, time.Time{}, err
	}
	data, err := secretfile.ReadAtMost(f, maxPIDFileBytes)
	if err != nil {
		return 0, time.Time{}, err
	}
	pid, err := parsePID(data)
	return pid, fi.ModTime(), err
}

// pidfileSlack covers how coarsely the two times compared are kept: a
// process's start in ticks of 10 ms, a file's time from the kernel's
// coarse clock, up to one scheduler tick (at most 10 ms) behind.
const pidfileSlack = 25 * time.Millisecond

// startedAfter reports whether the process that started at startTicks
// (clock ticks since boot, /proc/PID/stat) started after written, when its
// pidfile was last written: then the file names an earlier process whose
// PID this one was given. A file time without a fraction of a second comes
// from a file system that keeps whole seconds, and may be up to one early.
func startedAfter(startTicks uint64, written time.Time) (bool, error) {
	started, err := startedAt(startTicks)
	if err != nil {
		return false, err
	}
	slack := pidfileSlack
	if written.Nanosecond() == 0 {
		slack += time.Second
	}
	return started.After(written.Add(slack)), nil
}

// stalePIDFile says why a pidfile does not name the process p that holds
// its PID now, or "" when it does.
func stalePIDFile(path string, written time.Time, p HostProc) string {
	after, err := startedAfter(p.StartTime, written)
	switch {
	case err != nil:
		return "cannot tell whether pidfile=" + path + " names it: " + err.Error()
	case after:
		return "it started after pidfile=" + path + " was last written (" + written.UTC().Format(time.RFC3339) +
			"): the process the file names is gone and pid " + strconv.Itoa(p.PID) + " was reused"
	}
	return ""
}
