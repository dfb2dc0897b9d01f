//go:build linux && !portable

package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/proc"
)

// started is a process a test started, in its own process group.
type started struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	out    strings.Builder
	exited chan struct{}
}

// start runs path with args (and env added) until it prints a line
// starting with ready, and returns the rest of that line; with ready ""
// it returns at once. The process is stopped (SIGTERM, then SIGKILL to
// its group) when the test ends.
func start(t *testing.T, ctx context.Context, ready string, env []string, path string, args ...string) (*started, string) {
	t.Helper()
	p := &started{cmd: exec.Command(path, args...), exited: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = &lockedWriter{p}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.stop() })
	found := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			p.mu.Lock()
			p.out.WriteString(lines.Text() + "\n")
			p.mu.Unlock()
			if rest, ok := strings.CutPrefix(lines.Text(), ready); ok {
				select {
				case found <- strings.TrimSpace(rest):
				default:
				}
			}
		}
		io.Copy(io.Discard, stdout)
		p.cmd.Wait()
		close(p.exited)
	}()
	if ready == "" {
		return p, ""
	}
	select {
	case rest := <-found:
		return p, rest
	case <-p.exited:
		t.Fatalf("%s %s exited before %q:\n%s", path, strings.Join(args, " "), ready, p.output())
	case <-ctx.Done():
		t.Fatalf("%s %s: no %q before the test's deadline:\n%s", path, strings.Join(args, " "), ready, p.output())
	}
	return nil, ""
}

type lockedWriter struct{ p *started }

func (w *lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.out.Write(b)
}

func (p *started) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

func (p *started) pid() int { return p.cmd.Process.Pid }

// stop ends the process: SIGTERM, then SIGKILL to its group after 5 s.
func (p *started) stop() {
	syscall.Kill(p.pid(), syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second):
	}
	syscall.Kill(-p.pid(), syscall.SIGKILL)
	<-p.exited
}

// wait waits for the process to exit by itself and returns its exit code.
func (p *started) wait(t *testing.T, ctx context.Context) int {
	t.Helper()
	select {
	case <-p.exited:
		return p.cmd.ProcessState.ExitCode()
	case <-ctx.Done():
		t.Fatalf("%s still running at the test's deadline:\n%s", p.cmd.Path, p.output())
	}
	return -1
}

func (p *started) alive() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// stateOf is a process's state letter from /proc/PID/stat; 0 when gone.
func stateOf(pid int) byte {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s, err := proc.ParseStat(pid, data)
	if err != nil {
		return 0
	}
	return s.State
}

// waitState waits until pid is in state want, or the test's deadline.
func waitState(t *testing.T, ctx context.Context, pid int, want byte) {
	t.Helper()
	for stateOf(pid) != want {
		select {
		case <-ctx.Done():
			t.Fatalf("pid %d in state %q, want %q", pid, stateOf(pid), want)
		case <-time.After(5 * time.Millisecond):
		}
	}
}
