//go:build !linux || portable

package proc

import (
	"fmt"
	"os/exec"
)

// endWithParent gives cmd's process a pipe on standard input whose writing
// end only the supervisor holds, and tells the child to watch it (see
// ExitWithParent). The system closes that end when loadgen ends, however
// it ends, SIGKILL included: the child reads end of file and exits. No
// parent-death signal is needed, which only Linux has.
func endWithParent(cmd *exec.Cmd) error {
	if _, err := cmd.StdinPipe(); err != nil { // closed by cmd.Wait, or by the system when loadgen dies
		return fmt.Errorf("parent pipe: %w", err)
	}
	cmd.Env = append(cmd.Env, parentPipeEnv+"=1")
	return nil
}
