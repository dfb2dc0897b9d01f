package agent

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// openRegular opens path for reading if it is a regular file. It looks
// before it opens, so a device (/dev/zero) is never opened, and opens
// without blocking, so a FIFO swapped in meanwhile cannot hang the agent;
// then it checks that what it opened is what it looked at.
func openRegular(path string) (*os.File, fs.FileInfo, error) {
	looked, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !looked.Mode().IsRegular() {
		return nil, nil, errors.New("not a regular file")
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	opened, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !opened.Mode().IsRegular() || !os.SameFile(looked, opened) {
		f.Close()
		return nil, nil, errors.New("replaced while being opened")
	}
	return f, opened, nil
}

// errTooLong is a file longer than its reader's bound.
var errTooLong = errors.New("too long")

// readAtMost reads f to its end, or fails with errTooLong past maxBytes.
func readAtMost(f *os.File, maxBytes int) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(f, int64(maxBytes)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxBytes {
		return nil, fmt.Errorf("%w: %d bytes at most", errTooLong, maxBytes)
	}
	return data, nil
}

// refuseWritableByAnyone refuses a file or directory any user may change:
// through it any user could aim the agent at any process.
func refuseWritableByAnyone(fi fs.FileInfo) error {
	if fi.Mode().Perm()&0o002 != 0 {
		return fmt.Errorf("writable by any user (mode %04o), who could aim the agent at any process: chmod o-w it", fi.Mode().Perm())
	}
	return nil
}
