//go:build unix

package run

import "golang.org/x/sys/unix"

// openFileLimit is how many files this process may have open. Go raises the
// soft limit to the hard one at start, so this is the hard limit too.
func openFileLimit() (limit uint64, known bool) {
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &rl); err != nil {
		return 0, false
	}
	return uint64(rl.Cur), true
}
