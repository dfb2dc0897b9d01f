package chaos

import "syscall"

// stopSignals are the signals that freeze a process and resume it: windows
// has none.
func stopSignals() (stop, cont syscall.Signal, err error) { return 0, 0, ErrPauseUnsupported }
