//go:build !linux || portable

package agent

// inspect would read one process from /proc; off Linux there is none.
func inspect(int) (HostProc, error) { return HostProc{}, errNotLinux }

// listPIDs would list the processes of /proc; off Linux there is none.
func listPIDs() ([]int, error) { return nil, errNotLinux }
