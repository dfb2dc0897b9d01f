//go:build unix

package main

import "syscall"

// errCannotPause is nil: unix pauses a process with SIGSTOP and resumes it
// with SIGCONT.
var errCannotPause error

// pause stops name until resume.
func (ps *procs) pause(name string) error { return ps.signal(name, syscall.SIGSTOP, "STOP") }

// resume lets a paused name run again.
func (ps *procs) resume(name string) error { return ps.signal(name, syscall.SIGCONT, "CONT") }
