//go:build unix

package secretfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// CheckPrivate refuses a secret's file that another user could read or
// change: one owned by someone other than this process's user or root, or
// with mode bits beyond 0600.
func CheckPrivate(fi fs.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return errors.New("cannot tell its owner: no owner in its file information")
	}
	if euid := os.Geteuid(); st.Uid != uint32(euid) && st.Uid != 0 {
		return fmt.Errorf("owned by uid %d, neither this process's user (uid %d) nor root, who could change it", st.Uid, euid)
	}
	if perm := fi.Mode().Perm(); perm&^0o600 != 0 {
		return fmt.Errorf("mode %04o lets other users read or change it: chmod 600", perm)
	}
	return nil
}
