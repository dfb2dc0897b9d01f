package agent

import (
	"os"
	"path/filepath"
)

// The protection rules: what the agent never signals, whatever a selector
// says. They are checked when a selector is resolved and again, against
// the process as it is then, right before each signal.
//
//   - PID 1 (init): killing it takes the host or the container down.
//   - The agent itself, each of its ancestors (the shell, sudo, the
//     supervisor that started it) and its watchdog.
//   - Kernel threads (PID 2 and its children).
//   - loadgen processes, except `loadgen target ...` workers: a process whose
//     executable or argv[0] is named loadgen is the load generator (run),
//     the embedded broker, a report, ... unless its command (the first
//     word after the program that is not a flag; loadgen has no flag
//     before its command) is "target": those are the services under test,
//     legitimate targets.
//   - Other chaos agents (executable or argv[0] named chaos).
//
// A process may also be skipped, not protected: a zombie is not live, and a
// stopped (paused) process is not taken again.

// lineage is the agent's own family, which it never signals.
type lineage struct {
	self, parent int
	ancestors    map[int]bool // parent, grandparent, ... up to PID 1
	watchdog     int          // 0 until it starts
}

// lineageOf finds the agent's ancestors, looking each one up with find.
func lineageOf(find func(pid int) (HostProc, bool), watchdog int) lineage {
	l := lineage{self: os.Getpid(), parent: os.Getppid(), ancestors: map[int]bool{}, watchdog: watchdog}
	for pid := l.parent; pid > 0 && !l.ancestors[pid]; {
		l.ancestors[pid] = true
		p, ok := find(pid)
		if !ok {
			break // outside our PID namespace, or gone
		}
		pid = p.PPID
	}
	return l
}

// inspectFound is a find function for lineageOf that reads /proc now.
func inspectFound(pid int) (HostProc, bool) {
	p, err := inspect(pid)
	return p, err == nil
}

// protection is the reason p must never be signalled, or "".
func (l lineage) protection(p HostProc) string {
	switch {
	case p.PID == 1:
		return "PID 1 (init)"
	case p.PID == l.self:
		return "the agent itself"
	case p.PID == l.parent:
		return "the agent's parent"
	case l.ancestors[p.PID]:
		return "an ancestor of the agent"
	case l.watchdog != 0 && p.PID == l.watchdog:
		return "the agent's watchdog"
	case p.PID == 2 || p.PPID == 2 || (len(p.Argv) == 0 && p.Exe == ""):
		return "a kernel thread"
	case p.Loadgen != "" && !p.Worker():
		return "a loadgen process that is not a `loadgen target` worker"
	case filepath.Base(p.Exe) == "chaos" || (len(p.Argv) > 0 && filepath.Base(p.Argv[0]) == "chaos"):
		return "a chaos agent"
	}
	return ""
}
