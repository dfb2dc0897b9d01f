package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/loadchaos/loadgen/internal/proc"
)

// procs are the drill's `loadgen target` processes, run by proc's
// supervisor (process groups, the parent's death, stopping in order). One
// thing proc has no counterpart for stays here: a consumer that exits on
// its own is started again (supervise), as a service manager would, unless
// the drill killed it.
type procs struct {
	sup     *proc.Supervisor
	loadgen string
	log     io.Writer

	// watchCtx ends supervision: stop cancels it before it stops the
	// processes, so that no restart races the stop.
	watchCtx    context.Context
	stopWatches context.CancelFunc
	watchers    sync.WaitGroup
	stopOnce    sync.Once

	mu       sync.Mutex
	specs    map[string]proc.Spec
	killed   map[string]bool // by the drill (a fault's SIGKILL): no restart
	exits    map[string]int  // supervised processes that exited on their own, per name
	stopping bool            // stop began: start nothing more
}

const (
	// readyTimeout is the most a target takes to print its READY line.
	readyTimeout = 30 * time.Second
	// stopGrace is how long stop waits after SIGTERM before SIGKILL.
	stopGrace = 15 * time.Second
	// exitPoll is how often supervise looks whether a process has exited:
	// proc tells which processes run, not when one ends.
	exitPoll = 100 * time.Millisecond
	// restartDelay is how long a supervised process that exited on its own
	// stays down before it is started again, and between attempts while it
	// cannot get ready (its broker is down, say): as a service manager would.
	restartDelay = time.Second
)

// errStopping: the drill is stopping its processes and starts no more.
var errStopping = errors.New("the drill is stopping its processes")

// newProcs runs cfg.Loadgen's processes, their standard error in
// cfg.Out/NAME.log and proc's registry in cfg.Out/procs.
func newProcs(cfg Config) (*procs, error) {
	sup, err := proc.NewSupervisor(filepath.Join(cfg.Out, "procs"), cfg.Out, readyTimeout)
	if err != nil {
		return nil, fmt.Errorf("supervisor: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &procs{sup: sup, loadgen: cfg.Loadgen, log: cfg.Log, watchCtx: ctx, stopWatches: cancel,
		specs: map[string]proc.Spec{}, killed: map[string]bool{}, exits: map[string]int{}}, nil
}

// start runs `loadgen args...` as name, in role (proc.RoleConsumer or
// proc.RoleEdge), and returns once it prints its READY line, at most
// readyTimeout.
func (ps *procs) start(ctx context.Context, role, name string, args ...string) (proc.Info, error) {
	spec := proc.Spec{Name: name, Role: role, Path: ps.loadgen, Args: args}
	ps.mu.Lock()
	if ps.stopping {
		ps.mu.Unlock()
		return proc.Info{}, errStopping
	}
	ps.specs[name] = spec
	ps.mu.Unlock()
	fmt.Fprintf(ps.log, "$ %s %s &\n", ps.loadgen, strings.Join(args, " "))
	return ps.sup.Start(ctx, spec)
}

// supervise starts name again whenever it exits on its own, restartDelay
// later, until stop begins. Each such exit is counted (exitCounts). A
// consumer exits on its own when it cannot produce a completion: a user's
// service manager restarts it, and so does the drill, or the jobs it left
// uncommitted would wait for nobody.
func (ps *procs) supervise(name string) {
	ps.watchers.Go(func() {
		for ps.waitExit(name) {
			ps.mu.Lock()
			again := !ps.killed[name] && !ps.stopping
			if again {
				ps.exits[name]++
			}
			ps.mu.Unlock()
			if !again || !ps.startAgain(name) {
				return
			}
		}
	})
}

// waitExit waits until name no longer runs; false if supervision ended
// first.
func (ps *procs) waitExit(name string) bool {
	tick := time.NewTicker(exitPoll)
	defer tick.Stop()
	for ps.running(name) {
		select {
		case <-tick.C:
		case <-ps.watchCtx.Done():
			return false
		}
	}
	return true
}

// startAgain starts name again, every restartDelay until it is ready;
// false if supervision ended first.
func (ps *procs) startAgain(name string) bool {
	fmt.Fprintf(ps.log, "# %s exited on its own: starting it again, every %v until it is ready\n", name, restartDelay)
	ps.mu.Lock()
	spec := ps.specs[name]
	ps.mu.Unlock()
	// Restart needs the exited incarnation still known to the supervisor;
	// a failed start forgets it, and then Start takes its spec again.
	restart := func(ctx context.Context) error { _, err := ps.sup.Restart(ctx, name); return err }
	for {
		select {
		case <-time.After(restartDelay):
		case <-ps.watchCtx.Done():
			return false
		}
		err := restart(ps.watchCtx)
		if err == nil {
			return true
		}
		if ps.watchCtx.Err() != nil {
			return false
		}
		fmt.Fprintf(ps.log, "# %s: %v\n", name, err)
		restart = func(ctx context.Context) error { _, err := ps.sup.Start(ctx, spec); return err }
	}
}

// running tells whether name runs now (paused included).
func (ps *procs) running(name string) bool {
	_, ok := ps.info(name)
	return ok
}

// info is what proc records of name while it runs.
func (ps *procs) info(name string) (proc.Info, bool) {
	for _, info := range ps.sup.Live() {
		if info.Name == name {
			return info, true
		}
	}
	return proc.Info{}, false
}

// signal sends sig to name, logged as the kill command a user would type.
func (ps *procs) signal(name string, sig syscall.Signal, sigName string) error {
	info, ok := ps.info(name)
	if !ok {
		return fmt.Errorf("%s: not running", name)
	}
	fmt.Fprintf(ps.log, "$ kill -%s %d   # %s\n", sigName, info.PID, name)
	if err := ps.sup.Signal(name, sig); err != nil {
		return fmt.Errorf("%s: SIG%s: %w", name, sigName, err)
	}
	return nil
}

// kill ends name at once (SIGKILL) and returns once it has exited; its
// supervision does not start it again.
func (ps *procs) kill(name string) error {
	ps.mu.Lock()
	ps.killed[name] = true
	ps.mu.Unlock()
	return ps.signal(name, syscall.SIGKILL, "KILL")
}

// exitCounts is how often each supervised process exited on its own.
func (ps *procs) exitCounts() map[string]int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	out := map[string]int{}
	for name, n := range ps.exits {
		out[name] = n
	}
	return out
}

// stop ends supervision, then stops every process: SIGTERM (resuming a
// paused one, so that it can act on it), SIGKILL after stopGrace. It
// returns once every process has exited; later calls do nothing.
func (ps *procs) stop() {
	ps.stopOnce.Do(func() {
		ps.mu.Lock()
		ps.stopping = true
		ps.mu.Unlock()
		ps.stopWatches()
		ps.watchers.Wait()
		ps.sup.StopAll(stopGrace)
	})
}
