//go:build !linux || portable

package proc

import (
	"errors"
	"os"
	"testing"
)

func TestStartTimeIsUnsupportedWithoutProc(t *testing.T) {
	if _, err := StartTime(os.Getpid()); !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("got %v, want errors.ErrUnsupported", err)
	}
}
