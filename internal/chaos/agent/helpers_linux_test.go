//go:build linux && !portable

package agent

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/proc"
)

// The test binary doubles as the processes the tests signal, and as the
// agent's watchdog: with CHAOS_TEST_CHILD set it is a child, not the tests.
func TestMain(m *testing.M) {
	if IsWatchdog() {
		if err := RunWatchdog(os.Stdin, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	switch os.Getenv("CHAOS_TEST_CHILD") {
	case "sleeper": // reports the signals it can catch, sleeps, and never outlives the tests for long
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGUSR1, syscall.SIGHUP)
		fmt.Println("READY")
		deadline := time.After(2 * time.Minute)
		for {
			select {
			case s := <-sigs:
				fmt.Println("GOT", s)
			case <-deadline:
				os.Exit(0)
			}
		}
	case "agent": // pauses the process given, says so, and waits to be killed
		os.Exit(pausingAgent(os.Args[len(os.Args)-1]))
	}
	code := m.Run()
	os.RemoveAll(sleeperDir)
	os.Exit(code)
}

// pausingAgent is an agent that pauses one process and never resumes it:
// only its watchdog can, once the agent is killed.
func pausingAgent(pid string) int {
	sel, err := ParseHostSelector("pid=" + pid)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	host := NewHost()
	r := chaos.NewRunner(host, chaos.NewJournal(io.Discard, time.Now()), 1)
	if _, err := r.Trigger(context.Background(), chaos.Event{Name: "pause", Fault: chaos.Pause{}, Select: host.picker(HostPick{Select: sel, AllowLast: true})}); err != nil {
		fmt.Println(err)
		return 1
	}
	fmt.Println("PAUSED")
	time.Sleep(2 * time.Minute)
	return 0
}

// sleeperDir holds copies of the test binary under names of the tests'
// choosing, so that the processes a test starts are the only ones of
// their program (their peer group) on the host.
var (
	sleeperDir  string
	sleeperOnce sync.Once
)

// program links (or copies) the test binary to a file called name and
// returns its path.
func program(t *testing.T, name string) string {
	t.Helper()
	sleeperOnce.Do(func() { sleeperDir, _ = os.MkdirTemp("", "chaos-test-") })
	path := filepath.Join(sleeperDir, name)
	if _, err := os.Stat(path); err == nil {
		return path
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if os.Link(self, path) == nil {
		return path
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// sleeper is a process a test started, in its own process group.
type sleeper struct {
	proc.Info
	cmd    *exec.Cmd
	out    *bytes.Buffer
	mu     *sync.Mutex
	exited chan struct{}
}

// spawn starts path (a copy of the test binary) as a sleeper with args
// after its program name, and stops it when the test ends.
func spawn(t *testing.T, path string, args ...string) *sleeper {
	t.Helper()
	return spawnAs(t, path, "sleeper", args...)
}

func spawnAs(t *testing.T, path, role string, args ...string) *sleeper {
	t.Helper()
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), "CHAOS_TEST_CHILD="+role)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &sleeper{cmd: cmd, out: &bytes.Buffer{}, mu: &sync.Mutex{}, exited: make(chan struct{})}
	s.PID = cmd.Process.Pid
	t.Cleanup(func() {
		syscall.Kill(-s.PID, syscall.SIGKILL) // only the group this test started
		<-s.exited
	})
	ready := make(chan struct{})
	var readyOnce sync.Once
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			s.mu.Lock()
			s.out.WriteString(lines.Text() + "\n")
			s.mu.Unlock()
			if lines.Text() == "READY" || lines.Text() == "PAUSED" {
				readyOnce.Do(func() { close(ready) })
			}
		}
		cmd.Wait()
		close(s.exited)
	}()
	select {
	case <-ready:
	case <-s.exited:
		t.Fatalf("%s exited before it was ready: %s", path, s.output())
	case <-time.After(20 * time.Second):
		t.Fatalf("%s not ready after 20s", path)
	}
	if s.StartTime, err = proc.StartTime(s.PID); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *sleeper) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// state is the process's state letter: S sleeping, T stopped, 0 exited.
func (s *sleeper) state() byte {
	select {
	case <-s.exited:
		return 0
	default:
	}
	p, err := inspect(s.PID)
	if err != nil || p.StartTime != s.StartTime || p.State == 'Z' {
		return 0
	}
	return p.State
}

// waitState waits until the process's state is want (0: exited).
func (s *sleeper) waitState(t *testing.T, want byte) {
	t.Helper()
	if err := s.awaitState(want); err != nil {
		t.Fatal(err)
	}
}

// awaitState waits until the process's state is want (0: exited), for
// 10 s at most; unlike waitState, a helper goroutine may call it.
func (s *sleeper) awaitState(want byte) error {
	deadline := time.Now().Add(10 * time.Second)
	for s.state() != want {
		if time.Now().After(deadline) {
			return fmt.Errorf("pid %d is in state %q after 10s, want %q", s.PID, s.state(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil
}

// running reports whether the process is alive and not stopped.
func (s *sleeper) running() bool {
	st := s.state()
	return st != 0 && st != 'T'
}

// uniqueName is a program name no other process on the host has.
func uniqueName(t *testing.T) string {
	return fmt.Sprintf("sleeper-%d-%s", os.Getpid(), strings.NewReplacer("/", "-", " ", "-").Replace(t.Name()))
}

// freezeAOrB is an experiment of two pause actions, freeze-a and freeze-b,
// each selecting one of threeSleepers' processes of exe (a or b).
func freezeAOrB(exe string) string {
	return `version: 1
actions:
  - name: freeze-a
    select: "exe=` + exe + `,cmdline= a$"
    fault: pause
  - name: freeze-b
    select: "exe=` + exe + `,cmdline= b$"
    fault: pause
`
}
