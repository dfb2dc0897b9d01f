//go:build linux && !portable

package agent

import (
	"os/exec"
	"syscall"
)

// newProcessGroup makes cmd the leader of a process group of its own: a
// terminal's Ctrl-C, meant for the agent, does not reach it, and killProcessGroup
// reaches whatever it started too.
func newProcessGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// killProcessGroup kills the process group of cmd, started with newProcessGroup.
func killProcessGroup(cmd *exec.Cmd) error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
