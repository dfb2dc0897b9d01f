//go:build unix

package proc

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// alive tells whether pid runs: a zombie (exited, not yet reaped by
// whichever process adopted it) does not.
func alive(pid int) bool {
	if stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil {
		s := string(stat)
		end := strings.LastIndexByte(s, ')')
		return end >= 0 && len(s) > end+2 && s[end+2] != 'Z'
	}
	return syscall.Kill(pid, 0) == nil
}

func TestPauseIsRecordedAndStopAllResumesToStop(t *testing.T) {
	s, dir := newSupervisor(t, 10*time.Second)
	info, err := s.Start(t.Context(), childSpec(t, "consumer-email-1", "worker"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Signal(info.Name, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "procs", info.Name+".json"))
	if !strings.Contains(string(data), `"paused":true`) {
		t.Fatalf("registry after SIGSTOP: %s", data)
	}
	start := time.Now()
	s.StopAll(5 * time.Second)
	if alive(info.PID) || time.Since(start) > 4*time.Second {
		t.Fatalf("a paused process was not resumed to stop cleanly (took %v)", time.Since(start))
	}
}
