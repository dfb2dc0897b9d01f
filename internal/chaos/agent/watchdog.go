package agent

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/loadchaos/loadgen/internal/proc"
)

// WatchdogEnv, set to 1 in a process's environment, makes it an agent's
// watchdog: the agent starts its own executable so, and its main function
// calls RunWatchdog instead of anything else (see IsWatchdog).
const WatchdogEnv = "CHAOS_WATCHDOG"

// IsWatchdog reports whether this process was started as a watchdog.
func IsWatchdog() bool { return os.Getenv(WatchdogEnv) == "1" }

// The watchdog makes "nothing stays paused" hold even when the agent is
// killed with SIGKILL, which no handler can catch. It is a child process
// reading a pipe from the agent: before each SIGSTOP the agent writes
// "pause PID START", after each SIGCONT "resume PID START". When the pipe
// closes, which the kernel does however the agent ends, the watchdog sends
// SIGCONT to every process still listed (checking each one's start time, so
// a reused PID is left alone) and exits. It runs in its own process group,
// so a terminal's Ctrl-C reaches the agent, which halts, and not the
// watchdog; SIGTERM makes it resume everything and exit. A parent-death
// signal would not do: Linux sends it when the thread that forked the child
// exits, and the Go runtime ends threads at will.

// RunWatchdog is a watchdog's whole life: it prints READY on out, reads the
// agent's ledger from in until it closes (or SIGTERM), resumes what is
// still paused and reports each resumption on log.
func RunWatchdog(in io.Reader, out, log io.Writer) error {
	signal.Ignore(syscall.SIGINT, syscall.SIGHUP)
	terms := make(chan os.Signal, 1)
	signal.Notify(terms, syscall.SIGTERM)
	lines := make(chan string)
	go func() {
		scanner := bufio.NewScanner(in)
		for scanner.Scan() {
			lines <- scanner.Text()
		}
		close(lines)
	}()
	if _, err := fmt.Fprintln(out, "READY"); err != nil {
		return err
	}
	paused := map[[2]uint64]bool{}
	for open := true; open; {
		select {
		case line, ok := <-lines:
			if !ok {
				open = false
				break
			}
			var verb string
			var pid, start uint64
			if _, err := fmt.Sscan(line, &verb, &pid, &start); err != nil {
				fmt.Fprintf(log, "chaos watchdog: bad ledger line %q\n", line)
				continue
			}
			paused[[2]uint64{pid, start}] = verb == "pause"
		case <-terms:
			open = false
		}
	}
	var errs []error
	for key, isPaused := range paused {
		if !isPaused {
			continue
		}
		err := signalSame(int(key[0]), key[1], sigCont)
		switch {
		case errors.Is(err, ErrReused):
		case err != nil:
			errs = append(errs, err)
		default:
			fmt.Fprintf(log, "chaos watchdog: the agent is gone; resumed pid %d\n", key[0])
		}
	}
	return errors.Join(errs...)
}

// watchdog is the agent's side of it.
type watchdog struct {
	mu   sync.Mutex
	cmd  *exec.Cmd
	w    *os.File
	done chan struct{}
}

// watchdogReady bounds the watchdog's start.
const watchdogReady = 10 * time.Second

// startWatchdog starts this executable as a watchdog and waits until it is
// ready.
func startWatchdog() (*watchdog, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("watchdog: %w", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("watchdog: %w", err)
	}
	defer r.Close()
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), WatchdogEnv+"=1")
	cmd.Stdin, cmd.Stderr = r, os.Stderr
	newProcessGroup(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("watchdog: %w", err)
	}
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("watchdog: %w", err)
	}
	wd := &watchdog{cmd: cmd, w: w, done: make(chan struct{})}
	ready := make(chan bool, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- strings.TrimSpace(line) == "READY"
		io.Copy(io.Discard, stdout)
		cmd.Wait()
		close(wd.done)
	}()
	select {
	case ok := <-ready:
		if ok {
			return wd, nil
		}
	case <-time.After(watchdogReady):
	}
	w.Close()
	cmd.Process.Kill()
	<-wd.done
	return nil, fmt.Errorf("watchdog did not start: %v", cmd.ProcessState)
}

func (wd *watchdog) pid() int { return wd.cmd.Process.Pid }

// note writes one ledger line; an error means the watchdog is gone and
// nothing may be paused.
func (wd *watchdog) note(verb string, p proc.Info) error {
	wd.mu.Lock()
	defer wd.mu.Unlock()
	select {
	case <-wd.done:
		return errors.New("the watchdog has exited")
	default:
	}
	if _, err := fmt.Fprintf(wd.w, "%s %d %d\n", verb, p.PID, p.StartTime); err != nil {
		return fmt.Errorf("watchdog: %w", err)
	}
	return nil
}

// close closes the ledger, so the watchdog resumes whatever is still
// listed (nothing, after a halt) and exits, and waits for it.
func (wd *watchdog) close() error {
	wd.mu.Lock()
	err := wd.w.Close()
	wd.mu.Unlock()
	select {
	case <-wd.done:
	case <-time.After(watchdogReady):
		wd.cmd.Process.Kill()
		<-wd.done
		return errors.New("the watchdog did not exit")
	}
	return err
}
