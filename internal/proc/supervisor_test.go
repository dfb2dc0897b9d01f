package proc

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
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
	ExitWithParent() // as loadgen's main does
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
	case "supervisor": // a loadgen with one worker, waiting to be killed
		superviseOneWorker()
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

func TestStartWaitsForReadyAndRecordsTheProcess(t *testing.T) {
	s, dir := newSupervisor(t, 10*time.Second)
	info, err := s.Start(t.Context(), childSpec(t, "consumer-email-1", "worker"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Addr != "127.0.0.1:1234" || !alive(info.PID) {
		t.Fatalf("info %+v: want the ready line's address and a live pid", info)
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

func TestSignalRefusesAProcessThatHasExited(t *testing.T) {
	s, _ := newSupervisor(t, 10*time.Second)
	defer s.StopAll(5 * time.Second)
	info, err := s.Start(t.Context(), childSpec(t, "backend-1", "worker"))
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	p := s.procs[info.Name]
	s.mu.Unlock()
	if err := p.cmd.Process.Kill(); err != nil { // behind the supervisor's back, as a crash would
		t.Fatal(err)
	}
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("the killed process was not reaped within 10 s")
	}
	// Its PID is free now and may be given to another process: the signal
	// must not go to it.
	if err := s.Signal(info.Name, syscall.SIGKILL); err == nil || !strings.Contains(err.Error(), "no longer running") {
		t.Fatalf("signal to a process that has exited: got %v, want no longer running", err)
	}
}

// superviseOneWorker is the "supervisor" child: it starts one worker, says
// its PID on standard output and waits to be killed.
func superviseOneWorker() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	dir := os.Getenv("PROC_TEST_DIR")
	s, err := NewSupervisor(filepath.Join(dir, "procs"), filepath.Join(dir, "logs"), 10*time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	info, err := s.Start(ctx, Spec{Name: "backend-1", Role: "backend", Path: exe, Env: []string{"PROC_TEST_CHILD=worker"}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("WORKER %d\n", info.PID)
	<-ctx.Done()
	os.Exit(1)
}

// A SIGKILLed loadgen runs no code of its own: its workers must end anyway,
// through the parent-death signal on Linux and the parent pipe elsewhere.
func TestWorkersEndWhenTheSupervisorIsKilled(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	supervisor := exec.CommandContext(ctx, exe)
	supervisor.Env = append(os.Environ(), "PROC_TEST_CHILD=supervisor", "PROC_TEST_DIR="+t.TempDir())
	var stderr strings.Builder
	supervisor.Stderr = &stderr
	out, err := supervisor.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := supervisor.Start(); err != nil {
		t.Fatal(err)
	}
	defer supervisor.Wait()
	defer supervisor.Process.Kill()
	line, _ := bufio.NewReader(out).ReadString('\n') // EOF if the supervisor fails or ctx ends it
	var worker int
	if _, err := fmt.Sscanf(line, "WORKER %d", &worker); err != nil {
		t.Fatalf("the supervisor said %q (stderr %q), want WORKER PID", line, stderr.String())
	}
	t.Cleanup(func() { // only if the test failed: the worker outlived its supervisor
		if alive(worker) {
			if p, err := os.FindProcess(worker); err == nil {
				p.Kill()
			}
		}
	})
	if err := supervisor.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	supervisor.Wait()
	for alive(worker) {
		select {
		case <-ctx.Done():
			t.Fatalf("worker %d still alive 30 s after its supervisor was killed", worker)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
