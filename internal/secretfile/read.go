package secretfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// OpenRegular opens path for reading if it is a regular file. It looks
// before it opens, so a device (/dev/zero) is never opened, and opens
// without blocking, so a FIFO swapped in meanwhile cannot hang the reader;
// then it checks that what it opened is what it looked at.
func OpenRegular(path string) (*os.File, fs.FileInfo, error) {
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

// ErrTooLong is a file longer than its reader's bound.
var ErrTooLong = errors.New("too long")

// ReadAtMost reads f to its end, or fails with ErrTooLong past maxBytes.
func ReadAtMost(f *os.File, maxBytes int) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(f, int64(maxBytes)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxBytes {
		return nil, fmt.Errorf("%w: %d bytes at most", ErrTooLong, maxBytes)
	}
	return data, nil
}

// Read reads the regular file at path, at most maxBytes of it.
func Read(path string, maxBytes int) ([]byte, error) {
	f, _, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAtMost(f, maxBytes)
}

// ReadPrivate reads the regular file at path, at most maxBytes of it, if
// no user but its owner may read or change it (see CheckPrivate).
func ReadPrivate(path string, maxBytes int) ([]byte, error) {
	f, fi, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := CheckPrivate(fi); err != nil {
		return nil, err
	}
	return ReadAtMost(f, maxBytes)
}
