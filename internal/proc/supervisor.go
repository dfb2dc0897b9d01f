package proc

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Supervisor starts and tracks the processes of one run.
//
// Children are started from one goroutine locked to its OS thread for the
// supervisor's lifetime: Linux sends the parent-death signal when the thread
// that forked a child exits, and the Go runtime may end other threads at
// any time. (Elsewhere a pipe does that signal's work; see ExitWithParent.)
type Supervisor struct {
	registry string // directory of <name>.json, one per live process
	logs     string // directory of <name>.log, each child's standard error
	ready    time.Duration

	spawns chan spawnRequest
	done   chan struct{}

	mu    sync.Mutex
	procs map[string]*process
}

type process struct {
	spec   Spec
	info   Info
	cmd    *exec.Cmd
	exited chan struct{}
}

type spawnRequest struct {
	cmd   *exec.Cmd
	reply chan error
}

// NewSupervisor records live processes in registryDir and their standard
// error in logDir (both created), and waits up to ready for each to say so.
func NewSupervisor(registryDir, logDir string, ready time.Duration) (*Supervisor, error) {
	for _, dir := range []string{registryDir, logDir} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	s := &Supervisor{registry: registryDir, logs: logDir, ready: ready,
		spawns: make(chan spawnRequest), done: make(chan struct{}), procs: map[string]*process{}}
	go s.spawner()
	return s, nil
}

func (s *Supervisor) spawner() {
	runtime.LockOSThread() // never unlocked: the thread lives as long as the children
	for {
		select {
		case req := <-s.spawns:
			req.reply <- req.cmd.Start()
		case <-s.done:
			return
		}
	}
}

// Start starts a process and waits until it prints its ready line.
func (s *Supervisor) Start(ctx context.Context, spec Spec) (Info, error) {
	s.mu.Lock()
	if _, ok := s.procs[spec.Name]; ok {
		s.mu.Unlock()
		return Info{}, fmt.Errorf("process %s already runs", spec.Name)
	}
	s.mu.Unlock()
	return s.start(ctx, spec)
}

func (s *Supervisor) start(ctx context.Context, spec Spec) (Info, error) {
	logFile, err := os.OpenFile(filepath.Join(s.logs, spec.Name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return Info{}, err
	}
	defer logFile.Close()
	cmd := exec.Command(spec.Path, spec.Args...)
	cmd.Stderr = logFile
	cmd.Env = append(os.Environ(), spec.Env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return Info{}, err
	}
	cmd.SysProcAttr = ownProcessGroup()
	if err := endWithParent(cmd); err != nil {
		return Info{}, fmt.Errorf("start %s: %w", spec.Name, err)
	}
	reply := make(chan error, 1)
	select {
	case s.spawns <- spawnRequest{cmd: cmd, reply: reply}:
	case <-s.done:
		return Info{}, errors.New("supervisor stopped")
	}
	if err := <-reply; err != nil {
		return Info{}, fmt.Errorf("start %s: %w", spec.Name, err)
	}
	p := &process{spec: spec, cmd: cmd, exited: make(chan struct{}),
		info: Info{Name: spec.Name, Role: spec.Role, Group: spec.Group, PID: cmd.Process.Pid}}
	p.info.StartTime, _ = StartTime(p.info.PID)

	addr := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			if rest, ok := strings.CutPrefix(lines.Text(), ReadyPrefix); ok {
				select {
				case addr <- strings.TrimSpace(rest):
				default:
				}
			}
		}
		io.Copy(io.Discard, stdout)
		cmd.Wait()
		close(p.exited)
	}()

	timer := time.NewTimer(s.ready)
	defer timer.Stop()
	select {
	case a := <-addr:
		p.info.Addr = a
	case <-p.exited:
		return Info{}, fmt.Errorf("%s exited before it was ready (%s); see %s", spec.Name, cmd.ProcessState, filepath.Join(s.logs, spec.Name+".log"))
	case <-timer.C:
		s.kill(p)
		return Info{}, fmt.Errorf("%s not ready after %v; see %s", spec.Name, s.ready, filepath.Join(s.logs, spec.Name+".log"))
	case <-ctx.Done():
		s.kill(p)
		return Info{}, ctx.Err()
	}
	s.mu.Lock()
	s.procs[spec.Name] = p
	s.mu.Unlock()
	return p.info, s.record(p.info)
}

// kill ends a process and its group at once and waits for it.
func (s *Supervisor) kill(p *process) {
	killGroup(p.cmd.Process)
	<-p.exited
}

func (s *Supervisor) record(info Info) error {
	data, err := json.Marshal(info)
	if err != nil {
		return err
	}
	path := filepath.Join(s.registry, info.Name+".json")
	if err := os.WriteFile(path+".partial", data, 0o644); err != nil {
		return err
	}
	return os.Rename(path+".partial", path)
}

// Live lists the processes that run now (paused ones included), by name.
func (s *Supervisor) Live() []Info {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Info
	for _, p := range s.procs {
		select {
		case <-p.exited:
		default:
			out = append(out, p.info)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Signal sends sig to a live process, through the handle of the process
// started, so never to a later one given the same PID. SIGSTOP and SIGCONT
// mark it paused and resumed in the registry. On windows only SIGKILL and
// SIGTERM exist, and both end the process at once.
func (s *Supervisor) Signal(name string, sig syscall.Signal) error {
	s.mu.Lock()
	p, ok := s.procs[name]
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("no process %s", name)
	}
	if err := sendSignal(p.cmd.Process, sig); errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("%s (pid %d) is no longer running", name, p.info.PID)
	} else if err != nil {
		return fmt.Errorf("signal %s (pid %d): %w", name, p.info.PID, err)
	}
	if paused, changes := pauseChange(sig); changes {
		s.mu.Lock()
		p.info.Paused = paused
		info := p.info
		s.mu.Unlock()
		return s.record(info)
	}
	if sig == syscall.SIGKILL {
		<-p.exited
		os.Remove(filepath.Join(s.registry, name+".json"))
	}
	return nil
}

// Restart starts a process again with its original spec (so a server comes
// back on the same address) once its previous incarnation has exited.
func (s *Supervisor) Restart(ctx context.Context, name string) (Info, error) {
	s.mu.Lock()
	p, ok := s.procs[name]
	s.mu.Unlock()
	if !ok {
		return Info{}, fmt.Errorf("no process %s", name)
	}
	select {
	case <-p.exited:
	case <-ctx.Done():
		return Info{}, ctx.Err()
	}
	s.mu.Lock()
	delete(s.procs, name)
	s.mu.Unlock()
	return s.start(ctx, p.spec)
}

// StopAll asks every process to stop (SIGTERM, resuming paused ones so they
// can; on windows, which has no SIGTERM, it ends them at once), waits up to
// grace, then kills what is left, process groups included.
// It returns once every child has exited; the supervisor starts nothing after.
func (s *Supervisor) StopAll(grace time.Duration) {
	s.Stop(grace, func(Info) bool { return true })
	close(s.done)
}

// Stop stops the processes that match, as StopAll does, and forgets them.
// Stop the clients of a server before the server, so that they can leave
// cleanly.
func (s *Supervisor) Stop(grace time.Duration, match func(Info) bool) {
	s.mu.Lock()
	var procs []*process
	for name, p := range s.procs {
		if match(p.info) {
			procs = append(procs, p)
			delete(s.procs, name)
		}
	}
	s.mu.Unlock()
	for _, p := range procs {
		terminateGroup(p.cmd.Process)
	}
	deadline := time.NewTimer(grace)
	defer deadline.Stop()
	for _, p := range procs {
		select {
		case <-p.exited:
		case <-deadline.C:
			deadline.Reset(0) // past the deadline: kill the rest without waiting
			s.kill(p)
		}
		os.Remove(filepath.Join(s.registry, p.info.Name+".json"))
	}
}
