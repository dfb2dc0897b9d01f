package main

import (
	"log"
	"syscall"
	"time"
)

// cpuTime is the user and system CPU the process has used so far.
func cpuTime() time.Duration {
	self, err := syscall.GetCurrentProcess() // a pseudo handle: nothing to close
	if err != nil {
		log.Fatalf("pacecost: GetCurrentProcess: %v", err)
	}
	var creation, exit, kernel, user syscall.Filetime
	if err := syscall.GetProcessTimes(self, &creation, &exit, &kernel, &user); err != nil {
		log.Fatalf("pacecost: GetProcessTimes: %v", err)
	}
	return hundredNanoseconds(kernel) + hundredNanoseconds(user)
}

// hundredNanoseconds reads a FILETIME that holds a duration, counted in
// units of 100 ns.
func hundredNanoseconds(ft syscall.Filetime) time.Duration {
	return time.Duration(uint64(ft.HighDateTime)<<32|uint64(ft.LowDateTime)) * 100
}
