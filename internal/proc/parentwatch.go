package proc

import (
	"fmt"
	"io"
	"os"
)

// parentPipeEnv, set to 1 in a child's environment, says that its standard
// input is a pipe from the supervisor that started it, which closes when
// the supervisor's process ends.
const parentPipeEnv = "LOADGEN_PROC_PARENT_PIPE"

// ExitWithParent makes this process exit once the supervisor that started
// it is gone, where the supervisor said so (on systems without a
// parent-death signal, or in a build tagged portable); elsewhere it does
// nothing. A worker's main calls it first. It reads standard input, which
// the supervisor never writes to, until it closes, and then exits with
// status 1 at once, as the parent-death signal's SIGKILL would end it.
func ExitWithParent() {
	if os.Getenv(parentPipeEnv) != "1" {
		return
	}
	os.Unsetenv(parentPipeEnv) // for this process only, not for any it starts
	go func() {
		io.Copy(io.Discard, os.Stdin) // holds nothing: whatever comes is dropped
		fmt.Fprintln(os.Stderr, "the supervising loadgen is gone (its pipe on standard input closed): exiting")
		os.Exit(1)
	}()
}
