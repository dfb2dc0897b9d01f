package chaos

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/loadchaos/loadgen/internal/proc"
)

// HostSelector names processes of a host, in the syntax shared by the
// command line (--select) and experiments (select:): comma-separated
// KEY=VALUE terms, every one of which must hold.
//
//	cmdline=REGEX   the command line (arguments joined by spaces) matches the RE2 expression
//	exe=NAME        the executable's or argv[0]'s base name is NAME (or its path, when NAME has a /)
//	pid=N           the process N
//	pidfile=PATH    the process whose PID the file holds, read anew at each use
//	registry=DIR    a process listed in a loadgen process registry (DIR/*.json, such as
//	                results/<run>/procs of an embedded run) with the start time listed there
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

// sources reads the selector's pidfiles and registries: the processes they
// name now, by PID, with the registry's record for each. Stale registry
// entries (a PID gone or reused) are skipped, and told in notes.
type sources struct {
	pids     map[int]bool // nil: no pid, pidfile or registry term
	registry map[int]proc.Info
	why      map[int][]string
	notes    []string
}

func (s HostSelector) sources(live map[int]HostProc) (*sources, error) {
	src := &sources{registry: map[int]proc.Info{}, why: map[int][]string{}}
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
			data, err := os.ReadFile(t.value)
			if err != nil {
				return nil, fmt.Errorf("pidfile=%s: %w", t.value, err)
			}
			pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
			if err != nil || pid < 1 {
				return nil, fmt.Errorf("pidfile=%s: %q is not a process id", t.value, strings.TrimSpace(string(data)))
			}
			narrow(map[int]bool{pid: true})
			src.why[pid] = append(src.why[pid], "pid "+strconv.Itoa(pid)+" from "+t.value)
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

func (src *sources) readRegistry(dir string, live map[int]HostProc) (map[int]bool, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("registry=%s: %w", dir, err)
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("registry=%s: %w", dir, err)
	}
	found := map[int]bool{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			continue // removed since the glob: its process stopped
		}
		var info proc.Info
		if err := json.Unmarshal(data, &info); err != nil || info.PID < 1 {
			src.notes = append(src.notes, fmt.Sprintf("%s: not a registry record", file))
			continue
		}
		if p, ok := live[info.PID]; !ok || p.StartTime != info.StartTime {
			src.notes = append(src.notes, fmt.Sprintf("registry=%s: %s (pid %d) is stale: its process is gone or its PID reused", dir, info.Name, info.PID))
			continue
		}
		found[info.PID] = true
		src.registry[info.PID] = info
		src.why[info.PID] = append(src.why[info.PID], "in registry "+dir+" as "+info.Name)
	}
	return found, nil
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
