//go:build !linux || portable

package agent

import "io/fs"

// owner would be the user and group that own a file; off Linux the agent
// does not tell.
func owner(fs.FileInfo) (uid, gid uint32, err error) { return 0, 0, errNotLinux }
