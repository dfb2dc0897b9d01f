package agent

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"syscall"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/proc"
)

// Host is the processes of the machine the agent runs on, as Processes for
// a Runner whose events select with HostPicks bound to it (Host.picker). It signals only processes a
// pick returned, re-checks each one's start time and the protection rules
// right before each signal (see protect.go), and pauses a process only
// once its watchdog is listening (see watchdog.go). Close it when done.
type Host struct {
	mu       sync.Mutex
	known    map[string]HostProc // the processes picked, by name
	watchdog *watchdog
}

var _ chaos.Processes = (*Host)(nil)

// ErrReused is returned for a PID that no longer belongs to the process
// selected: it exited, and the PID may since have been given to another.
var ErrReused = errors.New("no longer running (its PID is gone or belongs to a newer process)")

// NewHost starts with no process known; the watchdog starts with the
// first pause.
func NewHost() *Host { return &Host{known: map[string]HostProc{}} }

// Match is a process a selector matched, with why.
type Match struct {
	HostProc
	Why     []string // each term's reason, in the selector's order
	Refused string   // why it will not be signalled: its protection, that it is stopped, a stale pidfile; "" when it may be
}

// Selection is what a selector matches on the host now.
type Selection struct {
	Selector HostSelector
	Matches  []Match // the processes it may signal, by PID
	Refused  []Match // matched but protected, already stopped, or not the process a stale pidfile named
	Notes    []string
	peers    map[string]int // live, unprotected, running members of each peer group on the host
}

// Select resolves s against the host's processes now.
func (h *Host) Select(s HostSelector) (*Selection, error) {
	procs, family, err := h.scan()
	if err != nil {
		return nil, err
	}
	src, err := s.sources(procs)
	if err != nil {
		return nil, err
	}
	sel := &Selection{Selector: s, Notes: src.notes, peers: map[string]int{}}
	for _, p := range procs {
		if info, ok := src.registry[p.PID]; ok {
			p.rename(info.Name)
			p.Role, p.Group, p.Addr = info.Role, info.Group, info.Addr
		}
		p.Protected = family.protection(p)
		if p.Protected == "" && !p.Paused {
			sel.peers[p.Peers()]++
		}
		ok, why := s.match(p, src)
		stale := ""
		if ok {
			stale = src.stale(p)
		}
		switch {
		case !ok:
		case stale != "":
			sel.Refused = append(sel.Refused, Match{HostProc: p, Why: why, Refused: "not the process its pidfile names: " + stale})
		case p.Protected != "":
			sel.Refused = append(sel.Refused, Match{HostProc: p, Why: why, Refused: "protected: " + p.Protected})
		case p.Paused:
			sel.Refused = append(sel.Refused, Match{HostProc: p, Why: why, Refused: "stopped (paused already)"})
		default:
			sel.Matches = append(sel.Matches, Match{HostProc: p, Why: why})
		}
	}
	byPID := func(a, b Match) int { return a.PID - b.PID }
	slices.SortFunc(sel.Matches, byPID)
	slices.SortFunc(sel.Refused, byPID)
	return sel, nil
}

// scan reads every live process (zombies are not) and the agent's lineage.
func (h *Host) scan() (map[int]HostProc, lineage, error) {
	pids, err := listPIDs()
	if err != nil {
		return nil, lineage{}, fmt.Errorf("list processes: %w", err)
	}
	procs := map[int]HostProc{}
	for _, pid := range pids {
		p, err := inspect(pid)
		if err != nil || p.State == 'Z' || p.State == 'X' {
			continue // exited since the listing, or not live
		}
		procs[pid] = p
	}
	family := lineageOf(func(pid int) (HostProc, bool) { p, ok := procs[pid]; return p, ok }, h.watchdogPID())
	h.mu.Lock()
	for name, p := range h.known {
		if now, ok := procs[p.PID]; !ok || now.StartTime != p.StartTime {
			delete(h.known, name)
		}
	}
	h.mu.Unlock()
	return procs, family, nil
}

func (h *Host) watchdogPID() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.watchdog == nil {
		return 0
	}
	return h.watchdog.pid()
}

// remember lets the processes a pick returned be signalled by name.
func (h *Host) remember(ps ...HostProc) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, p := range ps {
		h.known[p.Name] = p
	}
}

// Live lists every process the agent may signal now, paused ones included.
// The agent's runners pick with HostPick instead; Live makes a Host a
// chaos.Processes.
func (h *Host) Live() []proc.Info {
	procs, family, err := h.scan()
	if err != nil {
		return nil
	}
	var out []proc.Info
	for _, p := range procs {
		if family.protection(p) == "" {
			h.remember(p)
			out = append(out, p.Info)
		}
	}
	slices.SortFunc(out, func(a, b proc.Info) int { return a.PID - b.PID })
	return out
}

// Signal sends sig to a process a pick returned, if it is still that
// process (same PID, same start time) and still not protected. Before a
// SIGSTOP it tells the watchdog, and refuses if it cannot.
func (h *Host) Signal(name string, sig syscall.Signal) error {
	h.mu.Lock()
	p, ok := h.known[name]
	h.mu.Unlock()
	if !ok {
		return fmt.Errorf("%s was not selected by this agent, or has exited", name)
	}
	now, err := inspect(p.PID)
	if err != nil || now.StartTime != p.StartTime {
		return fmt.Errorf("%s (pid %d): %w", name, p.PID, ErrReused)
	}
	if reason := lineageOf(inspectFound, h.watchdogPID()).protection(now); reason != "" {
		return fmt.Errorf("refusing to signal %s (pid %d): %s", name, p.PID, reason)
	}
	h.mu.Lock()
	wd := h.watchdog
	h.mu.Unlock()
	if sig == sigStop {
		if wd, err = h.guard(); err != nil {
			return fmt.Errorf("refusing to pause %s without a watchdog: %w", name, err)
		}
		if err := wd.note("pause", p.Info); err != nil {
			return fmt.Errorf("refusing to pause %s: %w", name, err)
		}
	}
	err = signalSame(p.PID, p.StartTime, sig)
	if wd != nil && (sig == sigCont || (sig == sigStop && err != nil)) {
		wd.note("resume", p.Info) // at worst the watchdog sends one SIGCONT too many
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// guard returns the watchdog, starting it the first time.
func (h *Host) guard() (*watchdog, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.watchdog == nil {
		wd, err := startWatchdog()
		if err != nil {
			return nil, err
		}
		h.watchdog = wd
	}
	return h.watchdog, nil
}

// Close stops the watchdog, which first resumes anything still paused:
// nothing, once the runner has halted.
func (h *Host) Close() error {
	h.mu.Lock()
	wd := h.watchdog
	h.watchdog = nil
	h.mu.Unlock()
	if wd == nil {
		return nil
	}
	return wd.close()
}
