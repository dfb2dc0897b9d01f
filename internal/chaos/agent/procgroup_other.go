//go:build !linux || portable

package agent

import "os/exec"

// newProcessGroup leaves cmd in the agent's process group: off Linux the agent
// keeps no process groups.
func newProcessGroup(*exec.Cmd) {}

// killProcessGroup kills cmd itself; what it started lives on.
func killProcessGroup(cmd *exec.Cmd) error { return cmd.Process.Kill() }
