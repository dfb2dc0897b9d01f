package agent

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loadchaos/loadgen/internal/proc"
)

// HostSelector names processes of a host, in the syntax shared by the
// command line (--select) and experiments (select:): comma-separated
// KEY=VALUE terms, every one of which must hold.
//
//	cmdline=REGEX   the command line (arguments joined by spaces) matches the RE2 expression
//	exe=NAME        the executable's or argv[0]'s base name is NAME (or its path, when NAME has a /)
//	pid=N           the process N
//	pidfile=PATH    the process whose PID the file holds, read anew at each use: a regular
//	                file of at most 64 bytes holding one PID, which no other user may write;
//	                a process that started after the file was last written is refused
//	registry=DIR    a process listed in a loadgen process registry (DIR/*.json, such as
//	                results/<run>/procs of an embedded run) with the start time listed there;
//	                records are read with a bound and strictly, and skipped when not
//	cgroup=PATH     a process in cgroup PATH or below it, in any hierarchy
//	                (/sys/fs/cgroup/ in front is ignored)
//	role=R          a worker of role R (consumer, backend, edge, sync), from the registry
//	                or from its `loadgen target R` command line
//	group=G         a consumer of group G, likewise
//	name=N          a process named N (the registry's name, or --worker's, or the program's)
//
// A comma starts a new term only when a known key and = follow it, so a
// regular expression may hold commas (cmdline=a{1,3}).
type HostSelector struct {
	text  string
	terms []term
}

type term struct {
	key, value string
	re         *regexp.Regexp // cmdline
	pid        int            // pid
}

var selectorKeys = []string{"cmdline", "exe", "pid", "pidfile", "registry", "cgroup", "role", "group", "name"}

// ParseHostSelector reads a selector, reporting every bad term at once.
func ParseHostSelector(text string) (HostSelector, error) {
	s := HostSelector{text: text}
	var errs []error
	for _, raw := range splitTerms(text) {
		key, value, ok := strings.Cut(raw, "=")
		t := term{key: strings.TrimSpace(key), value: value}
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%q is not KEY=VALUE (keys: %s)", raw, strings.Join(selectorKeys, ", ")))
			continue
		case !slices.Contains(selectorKeys, t.key):
			errs = append(errs, fmt.Errorf("%q: unknown key %q (keys: %s)", raw, t.key, strings.Join(selectorKeys, ", ")))
			continue
		case value == "":
			errs = append(errs, fmt.Errorf("%q: empty value", raw))
			continue
		}
		switch t.key {
		case "cmdline":
			re, err := regexp.Compile(value)
			if err != nil {
				errs = append(errs, fmt.Errorf("cmdline=%s: %w", value, err))
				continue
			}
			t.re = re
		case "pid":
			pid, err := strconv.Atoi(value)
			if err != nil || pid < 1 {
				errs = append(errs, fmt.Errorf("pid=%s: not a process id", value))
				continue
			}
			t.pid = pid
		case "cgroup":
			t.value = "/" + strings.Trim(strings.TrimPrefix(value, "/sys/fs/cgroup"), "/")
		}
		s.terms = append(s.terms, t)
	}
	if len(s.terms) == 0 && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("an empty selector; give KEY=VALUE terms (keys: %s)", strings.Join(selectorKeys, ", ")))
	}
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, err := range errs {
			msgs[i] = err.Error()
		}
		return s, errors.New(strings.Join(msgs, "; "))
	}
	return s, nil
}

// splitTerms splits at commas that a known key and = follow.
func splitTerms(text string) []string {
	var terms []string
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] != ',' {
			continue
		}
		rest := strings.TrimLeft(text[i+1:], " ")
		if slices.ContainsFunc(selectorKeys, func(k string) bool { return strings.HasPrefix(rest, k+"=") }) {
			terms = append(terms, strings.TrimSpace(text[start:i]))
			start = i + 1
		}
	}
	if last := strings.TrimSpace(text[start:]); last != "" || len(terms) > 0 {
		terms = append(terms, last)
	}
	return terms
}

func (s HostSelector) String() string { return s.text }

// sources is what the selector's pid, pidfile and registry terms name: the
// processes they name now, by PID, with the registry's record for each and
// when each pidfile naming a PID was last written.
type sources struct {
	pids     map[int]bool // nil: no pid, pidfile or registry term
	registry map[int]proc.Info
	pidfiles map[int][]pidfileSeen
	why      map[int][]string
	notes    []string
}

// pidfileSeen is a pidfile as read: its path and when it was last written.
type pidfileSeen struct {
	path    string
	written time.Time
}

// sources reads the selector's pidfiles and registries. A pidfile that
// cannot be read, or holds anything but one PID, is an error that never
// quotes it; registry records are skipped likewise, and told in notes.
func (s HostSelector) sources(live map[int]HostProc) (*sources, error) {
	src := &sources{registry: map[int]proc.Info{}, pidfiles: map[int][]pidfileSeen{}, why: map[int][]string{}}
	narrow := func(found map[int]bool) {
		if src.pids == nil {
			src.pids = found
			return
		}
		for pid := range src.pids {
			if !found[pid] {
				delete(src.pids, pid)
			}
		}
	}
	for _, t := range s.terms {
		switch t.key {
		case "pid":
			narrow(map[int]bool{t.pid: true})
		case "pidfile":
			pid, written, err := readPIDFile(t.value)
			if err != nil {
				return nil, fmt.Errorf("pidfile=%s: %w", t.value, err)
			}
			narrow(map[int]bool{pid: true})
			src.pidfiles[pid] = append(src.pidfiles[pid], pidfileSeen{t.value, written})
			src.why[pid] = append(src.why[pid], "pid "+strconv.Itoa(pid)+" from "+t.value)
			if _, ok := live[pid]; !ok {
				src.notes = append(src.notes, fmt.Sprintf("pidfile=%s: pid %d is not running", t.value, pid))
			}
		case "registry":
			found, err := src.readRegistry(t.value, live)
			if err != nil {
				return nil, err
			}
			narrow(found)
		}
	}
	return src, nil
}

// stale says why a pidfile naming p's PID does not name p, or "".
func (src *sources) stale(p HostProc) string {
	for _, f := range src.pidfiles[p.PID] {
		if reason := stalePIDFile(f.path, f.written, p); reason != "" {
			return reason
		}
	}
	return ""
}

// match reports whether p meets every term, and why, term by term.
func (s HostSelector) match(p HostProc, src *sources) (bool, []string) {
	if src.pids != nil && !src.pids[p.PID] {
		return false, nil
	}
	why := slices.Clone(src.why[p.PID])
	for _, t := range s.terms {
		ok, reason := t.match(p)
		if !ok {
			return false, nil
		}
		if reason != "" {
			why = append(why, reason)
		}
	}
	return true, why
}

func (t term) match(p HostProc) (bool, string) {
	switch t.key {
	case "cmdline":
		return t.re.MatchString(strings.Join(p.Argv, " ")), "cmdline matches /" + t.value + "/"
	case "exe":
		for _, path := range []string{p.Exe, first(p.Argv)} {
			if path != "" && (path == t.value || (!strings.Contains(t.value, "/") && filepath.Base(path) == t.value)) {
				return true, "exe " + path
			}
		}
		return false, ""
	case "pid":
		return p.PID == t.pid, "pid " + t.value
	case "cgroup":
		for _, cg := range p.Cgroups {
			if t.value == "/" || cg == t.value || strings.HasPrefix(cg, t.value+"/") {
				return true, "in cgroup " + cg
			}
		}
		return false, ""
	case "role":
		return p.Role == t.value, "role " + t.value
	case "group":
		return p.Group == t.value, "group " + t.value
	case "name":
		return p.Label() == t.value, "named " + t.value
	}
	return true, "" // pidfile and registry: decided by the sources
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
