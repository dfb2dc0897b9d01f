package agent

import (
	"fmt"
	"io/fs"
)

// refuseWritableByAnyone refuses a file or directory any user may change:
// through it any user could aim the agent at any process.
func refuseWritableByAnyone(fi fs.FileInfo) error {
	if fi.Mode().Perm()&0o002 != 0 {
		return fmt.Errorf("writable by any user (mode %04o), who could aim the agent at any process: chmod o-w it", fi.Mode().Perm())
	}
	return nil
}
