package proc

import (
	"errors"
	"syscall"
	"testing"
	"time"
)

// alive tells whether pid runs.
func alive(pid int) bool {
	h, err := syscall.OpenProcess(syscall.PROCESS_QUERY_INFORMATION, false, uint32(pid))
	if err != nil {
		return false
	}
	defer syscall.CloseHandle(h)
	const stillActive = 259
	var code uint32
	return syscall.GetExitCodeProcess(h, &code) == nil && code == stillActive
}

func TestWindowsCannotPauseAndTerminateEnds(t *testing.T) {
	s, _ := newSupervisor(t, 10*time.Second)
	defer s.StopAll(5 * time.Second)
	info, err := s.Start(t.Context(), childSpec(t, "backend-1", "worker"))
	if err != nil {
		t.Fatal(err)
	}
	const sigStop = syscall.Signal(19) // Linux's number: windows has none
	if err := s.Signal(info.Name, sigStop); !errors.Is(err, errors.ErrUnsupported) || !alive(info.PID) {
		t.Fatalf("pause on windows: got %v, want errors.ErrUnsupported and the process left running", err)
	}
	if err := s.Signal(info.Name, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for alive(info.PID) {
		if time.Now().After(deadline) {
			t.Fatal("SIGTERM did not end the process within 10 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
