//go:build !linux || portable

package agent

import "time"

// startedAt would convert a process's start time in clock ticks since boot
// to the wall clock; off Linux there are no such ticks to read.
func startedAt(uint64) (time.Time, error) { return time.Time{}, errNotLinux }
