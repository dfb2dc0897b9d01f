package proc

import (
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary doubles as the child process: with PROC_TEST_CHILD set it
// behaves as a worker instead of running the tests.
func TestMain(m *testing.M) {
	switch os.Getenv("PROC_TEST_CHILD") {
	case "worker":
		terms := make(chan os.Signal, 1)
		signal.Notify(terms, syscall.SIGTERM)
		fmt.Println(ReadyPrefix + " 127.0.0.1:1234")
		<-terms
		os.Exit(0)
	case "stubborn": // ignores SIGTERM
		signal.Ignore(syscall.SIGTERM)
		fmt.Println(ReadyPrefix)
		time.Sleep(time.Minute)
		os.Exit(0)
	case "mute": // never says it is ready
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func childSpec(t *testing.T, name, kind string) Spec {
	t.Helper()
	t.Setenv("PROC_TEST_CHILD", kind)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Spec{Name: name, Role: "consumer", Group: "email", Path: exe}
}

func newSupervisor(t *testing.T, ready time.Duration) (*Supervisor, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := NewSupervisor(filepath.Join(dir, "procs"), filepath.Join(dir, "logs"), ready)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func alive(pid int) bool {
	_, err := StartTime(pid)
	return err == nil && syscall.Kill(pid, 0) == nil
}

func TestStartWaitsForReadyAndRecordsTheProcess(t *testing.T) {
	s, dir := newSupervisor(t, 10*time.Second)
	info, err := s.Start(t.Context(), childSpec(t, "consumer-email-1", "worker"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Addr != "127.0.0.1:1234" || info.StartTime == 0 || !alive(info.PID) {
		t.Fatalf("info %+v: want the ready line's address, a start time, a live pid", info)
	}
	var recorded Info
	data, err := os.ReadFile(filepath.Join(dir, "procs", "consumer-email-1.json"))
	if err != nil || json.Unmarshal(data, &recorded) != nil || recorded != info {
		t.Fatalf("registry holds %s (%v), want %+v", data, err, info)
	}
	s.StopAll(5 * time.Second)
	if alive(info.PID) {
		t.Fatal("process alive after StopAll")
	}
	if _, err := os.Stat(filepath.Join(dir, "procs", "consumer-email-1.json")); !os.IsNotExist(err) {
		t.Fatal("registry entry left after StopAll")
	}
}

func TestKillThenRestartGivesANewProcess(t *testing.T) {
	s, _ := newSupervisor(t, 10*time.Second)
	defer s.StopAll(5 * time.Second)
	first, err := s.Start(t.Context(), childSpec(t, "backend-1", "worker"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Signal("backend-1", syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if alive(first.PID) || len(s.Live()) != 0 {
		t.Fatal("killed process still listed or alive")
	}
	second, err := s.Restart(t.Context(), "backend-1")
	if err != nil {
		t.Fatal(err)
	}
	if second.PID == first.PID || !alive(second.PID) || len(s.Live()) != 1 {
		t.Fatalf("restart gave %+v after %+v", second, first)
	}
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

func TestStopAllKillsWhatIgnoresSIGTERM(t *testing.T) {
	s, _ := newSupervisor(t, 10*time.Second)
	info, err := s.Start(t.Context(), childSpec(t, "stubborn-1", "stubborn"))
	if err != nil {
		t.Fatal(err)
	}
	s.StopAll(200 * time.Millisecond)
	if alive(info.PID) {
		t.Fatal("a process ignoring SIGTERM outlived StopAll")
	}
}

func TestAProcessThatNeverGetsReadyIsKilled(t *testing.T) {
	s, _ := newSupervisor(t, 300*time.Millisecond)
	defer s.StopAll(time.Second)
	_, err := s.Start(t.Context(), childSpec(t, "mute-1", "mute"))
	if err == nil || !strings.Contains(err.Error(), "not ready") {
		t.Fatalf("got %v, want a not-ready error", err)
	}
}

func TestSignalRefusesAReusedPID(t *testing.T) {
	s, _ := newSupervisor(t, 10*time.Second)
	defer s.StopAll(5 * time.Second)
	info, err := s.Start(t.Context(), childSpec(t, "backend-1", "worker"))
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.procs[info.Name].info.StartTime++ // as if the PID now belonged to a newer process
	s.mu.Unlock()
	if err := s.Signal(info.Name, syscall.SIGKILL); err == nil || !alive(info.PID) {
		t.Fatalf("signal went to a process with another start time: %v", err)
	}
}
