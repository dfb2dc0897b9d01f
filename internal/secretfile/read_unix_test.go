//go:build unix

package secretfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadPrivateRefusesAFileOtherUsersMayRead(t *testing.T) {
	const secret = "-----BEGIN PRIVATE KEY----- s3cr3t"
	tests := []struct {
		mode os.FileMode
		ok   bool
	}{
		{0o600, true},  // its owner's alone
		{0o400, true},  // read-only for its owner is private too
		{0o640, false}, // its group may read it
		{0o644, false}, // everyone may read it
		{0o602, false}, // everyone may change it
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "key.pem")
		if err := os.WriteFile(path, []byte(secret), tt.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, tt.mode); err != nil { // past the umask
			t.Fatal(err)
		}
		data, err := ReadPrivate(path, 1<<10)
		switch {
		case tt.ok && (err != nil || string(data) != secret):
			t.Errorf("mode %04o: %q, %v; want the file's content", tt.mode, data, err)
		case !tt.ok && err == nil:
			t.Errorf("mode %04o: accepted", tt.mode)
		case !tt.ok && (!strings.Contains(err.Error(), "chmod 600") || strings.Contains(err.Error(), "s3cr3t")):
			t.Errorf("mode %04o: %q; want how to fix it, without the content", tt.mode, err)
		}
	}
}

func TestReadStopsAtItsBoundAndReadsOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(path, []byte(strings.Repeat("x", 11)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(path, 10); !errors.Is(err, ErrTooLong) {
		t.Errorf("11 bytes read with a bound of 10: %v, want ErrTooLong", err)
	}
	if data, err := Read(path, 11); err != nil || len(data) != 11 {
		t.Errorf("11 bytes read with a bound of 11: %d bytes, %v", len(data), err)
	}
	if _, err := Read(dir, 10); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a directory: %v, want it refused", err)
	}
	if _, err := Read("/dev/zero", 10); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("/dev/zero: %v, want it refused without being read", err)
	}
}
