//go:build linux && !portable

package agent

import (
	"errors"
	"io/fs"
	"syscall"
)

// owner is the user and group that own a file.
func owner(fi fs.FileInfo) (uid, gid uint32, err error) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, errors.New("no owner in its file information")
	}
	return st.Uid, st.Gid, nil
}
