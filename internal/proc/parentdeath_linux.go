//go:build linux && !portable

package proc

import (
	"os/exec"
	"syscall"
)

// endWithParent has the kernel kill cmd's process (SIGKILL) when the
// thread that started it exits, which the supervisor's spawner thread does
// only when loadgen ends, however it ends. cmd.SysProcAttr must be set.
func endWithParent(cmd *exec.Cmd) error {
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	return nil
}
