package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/loadchaos/loadgen/internal/proc"
)

// procs are the drill's `loadgen target` processes.
type procs struct {
	mu       sync.Mutex
	list     []*child
	started  map[string]int // incarnations per name
	exits    map[string]int // supervised children that exited on their own, per name
	stopping bool           // stop began: start and restart nothing more
	watchers sync.WaitGroup // supervise's goroutines
}

type child struct {
	name string
	addr string        // from its READY line; read it once up is closed
	up   chan struct{} // closed once it printed its READY line
	cmd  *exec.Cmd
	done chan struct{}
	// meant: the drill ended it (a fault's SIGKILL, or stop): no restart.
	meant atomic.Bool
}

func (c *child) wait() { <-c.done }

var (
	// errStopping: the drill is stopping its processes and starts no more.
	errStopping = errors.New("the drill is stopping its processes")
	// errEnded: the drill ended the process before it was ready.
	errEnded = errors.New("ended by the drill before it was ready")
)

// start runs loadgen args as a child that dies with this process, and
// returns once it prints its READY line (at most 30 s). Its standard error
// goes to NAME.log, or NAME.N.log for its Nth incarnation.
func (ps *procs) start(ctx context.Context, cfg Config, name string, args ...string) (*child, error) {
	ps.mu.Lock()
	if ps.stopping {
		ps.mu.Unlock()
		return nil, errStopping
	}
	if ps.started == nil {
		ps.started = map[string]int{}
	}
	ps.started[name]++
	logName := name + ".log"
	if n := ps.started[name]; n > 1 {
		logName = fmt.Sprintf("%s.%d.log", name, n)
	}
	ps.mu.Unlock()

	cmd := exec.Command(cfg.Loadgen, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	logf, err := os.Create(filepath.Join(cfg.Out, logName))
	if err != nil {
		return nil, err
	}
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return nil, err
	}
	fmt.Fprintf(cfg.Log, "$ %s &\n", strings.Join(cmd.Args, " "))
	c := &child{name: name, cmd: cmd, up: make(chan struct{}), done: make(chan struct{})}
	ps.mu.Lock()
	if ps.stopping {
		ps.mu.Unlock()
		logf.Close()
		return nil, errStopping
	}
	if err := cmd.Start(); err != nil {
		ps.mu.Unlock()
		logf.Close()
		return nil, err
	}
	ps.list = append(ps.list, c)
	ps.mu.Unlock()
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if line, ok := strings.CutPrefix(sc.Text(), proc.ReadyPrefix); ok {
				select {
				case ready <- strings.TrimSpace(line):
				default:
				}
			}
		}
		cmd.Wait()
		logf.Close()
		close(c.done)
	}()
	select {
	case c.addr = <-ready:
		close(c.up)
		return c, nil
	case <-c.done:
		if c.meant.Load() {
			return nil, errEnded
		}
		return nil, fmt.Errorf("%s exited before it was ready (log: %s)", name, logf.Name())
	case <-time.After(30 * time.Second):
		return nil, fmt.Errorf("%s not ready within 30 s (log: %s)", name, logf.Name())
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// restartDelay is how long a supervised child that exited on its own stays
// down before it is started again, and between attempts while it cannot
// get ready (its broker is down, say): as a service manager would.
const restartDelay = time.Second

// supervise starts c again, with the same name and args, whenever it exits
// on its own, restartDelay later, until ctx is done or stop begins. Each
// such exit is counted (exits). A consumer exits on its own when it cannot
// produce a completion: a user's service manager restarts it, and so does
// the drill, or the jobs it left uncommitted would wait for nobody.
func (ps *procs) supervise(ctx context.Context, cfg Config, c *child, args []string) {
	ps.watchers.Go(func() {
		for {
			select {
			case <-c.done:
			case <-ctx.Done():
				return
			}
			ps.mu.Lock()
			stopping := ps.stopping
			if !c.meant.Load() && !stopping {
				if ps.exits == nil {
					ps.exits = map[string]int{}
				}
				ps.exits[c.name]++
			}
			ps.mu.Unlock()
			if c.meant.Load() || stopping {
				return
			}
			fmt.Fprintf(cfg.Log, "# %s (PID %d) exited on its own (%s): starting it again, every %v until it is ready\n",
				c.name, c.cmd.Process.Pid, c.cmd.ProcessState, restartDelay)
			for {
				select {
				case <-time.After(restartDelay):
				case <-ctx.Done():
					return
				}
				next, err := ps.start(ctx, cfg, c.name, args...)
				if errors.Is(err, errStopping) || errors.Is(err, errEnded) || ctx.Err() != nil {
					return
				}
				if err == nil {
					c = next
					break
				}
			}
		}
	})
}

// exitCounts is how often each supervised child exited on its own.
func (ps *procs) exitCounts() map[string]int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	out := map[string]int{}
	for name, n := range ps.exits {
		out[name] = n
	}
	return out
}

// byName is the latest incarnation of the child called name, nil if none.
func (ps *procs) byName(name string) *child {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for i := len(ps.list) - 1; i >= 0; i-- {
		if ps.list[i].name == name {
			return ps.list[i]
		}
	}
	return nil
}

// stop ends supervision, then sends SIGTERM to every child still running,
// and SIGCONT, which a paused child needs to act on the SIGTERM, and waits
// for each, with SIGKILL after 15 s.
func (ps *procs) stop(log io.Writer) {
	ps.mu.Lock()
	ps.stopping = true
	list := ps.list
	ps.list = nil
	ps.mu.Unlock()
	for _, c := range list {
		c.meant.Store(true)
		c.cmd.Process.Signal(syscall.SIGTERM)
		c.cmd.Process.Signal(syscall.SIGCONT)
	}
	for _, c := range list {
		select {
		case <-c.done:
		case <-time.After(15 * time.Second):
			fmt.Fprintf(log, "%s (PID %d) still running 15 s after SIGTERM: SIGKILL\n", c.name, c.cmd.Process.Pid)
			c.cmd.Process.Kill()
			<-c.done
		}
	}
	ps.watchers.Wait()
}
