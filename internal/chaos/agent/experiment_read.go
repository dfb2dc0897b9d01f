package agent

import (
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/chaos/blast"
	"github.com/loadchaos/loadgen/internal/yamlfields"
)

var faultKinds = []string{"kill", "terminate", "signal", "pause", "restart", "exec"}

// Parse reads and validates an experiment; source names it in problems.
func Parse(source string, data []byte) (*Experiment, error) {
	root, d, err := yamlfields.Parse(source, data)
	if err != nil {
		return nil, err
	}
	base := filepath.Base(source)
	e := &Experiment{Source: source, Name: strings.TrimSuffix(base, filepath.Ext(base)), Deadline: DefaultDeadline}
	readExperiment(d.Mapping(root, ""), e)
	if err := d.Err(); err != nil {
		return nil, err
	}
	return e, nil
}

func readExperiment(f *yamlfields.Fields, e *Experiment) {
	var version int
	if f.Require("version", &version) {
		f.Check("version", version == 1, "%d is not supported; this agent reads version 1", version)
	}
	f.Read("name", &e.Name)
	f.Check("name", e.Name != "", "must not be empty")
	f.Read("description", &e.Description)
	f.Read("seed", &e.Seed)
	f.Read("deadline", &e.Deadline)
	f.Check("deadline", e.Deadline > 0, "must be positive, got %v", e.Deadline)
	maxMatches := DefaultMaxMatches
	f.Read("max_matches", &maxMatches)
	f.Check("max_matches", maxMatches >= 1, "must be at least 1, got %d", maxMatches)
	if f.Has("probe") {
		e.Probe = readProbe(f.Section("probe"))
	} else {
		f.Take("probe")
	}
	e.Actions = readActions(f, maxMatches, e.Deadline)
	f.Close()
}

func readActions(f *yamlfields.Fields, maxMatches int, deadline time.Duration) []Action {
	n := f.Take("actions")
	switch {
	case n == nil:
		f.Missing("actions")
		return nil
	case n.Kind != yaml.SequenceNode:
		f.Fail("actions", "want a list of actions, got %s", yamlfields.Describe(n))
		return nil
	case len(n.Content) == 0:
		f.Fail("actions", "needs at least one action")
		return nil
	}
	actions := make([]Action, len(n.Content))
	seen := map[string]int{}
	for i, item := range n.Content {
		path := fmt.Sprintf("actions[%d]", i)
		actions[i] = readAction(f.Decoder().Mapping(yamlfields.Resolve(item), path), fmt.Sprintf("action-%d", i+1), maxMatches, deadline)
		if first, dup := seen[actions[i].Name]; dup {
			f.Decoder().Problem(item.Line, path+".name", "%q is the name of actions[%d] too; names must differ", actions[i].Name, first)
		}
		seen[actions[i].Name] = i
	}
	return actions
}

func readAction(f *yamlfields.Fields, defaultName string, maxMatches int, deadline time.Duration) Action {
	a := Action{Name: defaultName}
	f.Read("name", &a.Name)
	f.Check("name", a.Name != "" && !strings.ContainsAny(a.Name, ", \t\n"), "%q: a name is one word without commas", a.Name)
	var kind string
	if f.Require("fault", &kind) {
		f.Check("fault", slices.Contains(faultKinds, kind), "%q is not one of %s", kind, strings.Join(faultKinds, ", "))
	}
	a.Fault = readFault(f, kind)

	var selText string
	var pick HostPick
	if f.Read("select", &selText) {
		sel, err := ParseHostSelector(selText)
		f.Check("select", err == nil, "%v", err)
		pick.Select = sel
	} else if kind != "exec" && f.OK("fault") {
		f.Missing("select")
	}
	pick.Radius = blast.Read(f)
	pick.MaxMatches = maxMatches
	f.Read("max_matches", &pick.MaxMatches)
	f.Check("max_matches", pick.MaxMatches >= 1, "must be at least 1, got %d", pick.MaxMatches)
	f.Read("allow_last", &pick.AllowLast)
	if f.Has("select") {
		a.Select = &pick
	} else {
		for _, key := range []string{"count", "percent", "all", "max_matches", "allow_last"} {
			f.Check(key, false, "applies to a selector's matches; this action has no select")
		}
	}

	if f.Read("for", &a.For) {
		f.Check("for", a.For > 0, "must be positive, got %v", a.For)
		f.Check("for", kind == "pause" || kind == "restart", "fault %s has nothing to undo on a host: for applies to pause and restart", kind)
	}
	a.Schedule = readSchedule(f.Section("schedule"), deadline)
	f.Close()
	return a
}

// readFault reads the fault's own fields: signal, command, timeout, grace.
func readFault(f *yamlfields.Fields, kind string) chaos.Fault {
	sig := map[string]syscall.Signal{"kill": syscall.SIGKILL, "terminate": syscall.SIGTERM, "restart": syscall.SIGTERM}[kind]
	var sigName string
	if f.Read("signal", &sigName) {
		parsed, ok := ParseSignal(sigName)
		f.Check("signal", ok, "%q is not a signal (like SIGHUP, HUP or 1)", sigName)
		f.Check("signal", kind == "signal" || kind == "restart", "applies to signal and restart; %s sends its own", kind)
		f.Check("signal", !StopsOrContinues(parsed), "%s: use fault pause, whose undo resumes", sigName)
		sig = parsed
	} else if kind == "signal" {
		f.Missing("signal")
	}
	timeout := DefaultCommandTimeout
	if f.Read("timeout", &timeout) {
		f.Check("timeout", timeout > 0, "must be positive, got %v", timeout)
		f.Check("timeout", kind == "exec" || kind == "restart", "applies to exec and restart, which run a command")
	}
	grace := DefaultRestartGrace
	if f.Read("grace", &grace) {
		f.Check("grace", grace > 0, "must be positive, got %v", grace)
		f.Check("grace", kind == "restart", "applies to restart")
	}
	var cmd *Command
	var text string
	if f.Read("command", &text) {
		var err error
		cmd, err = ParseCommand(text, timeout)
		f.Check("command", err == nil, "%v", err)
		f.Check("command", kind == "exec" || kind == "restart", "applies to exec and restart")
	} else if kind == "exec" || kind == "restart" {
		f.Missing("command")
	}
	switch kind {
	case "kill", "terminate", "signal":
		return Signal{Sig: sig}
	case "pause":
		return chaos.Pause{}
	case "restart":
		return Restart{Sig: sig, Grace: grace, Command: cmd}
	case "exec":
		return Exec{Command: cmd}
	}
	return nil
}

func readSchedule(f *yamlfields.Fields, deadline time.Duration) Schedule {
	var s Schedule
	if n := f.Take("at"); n != nil {
		items := []*yaml.Node{n}
		if n.Kind == yaml.SequenceNode {
			items = n.Content
		}
		for i, item := range items {
			field := f.At("at")
			if n.Kind == yaml.SequenceNode {
				field = fmt.Sprintf("%s[%d]", field, i)
			}
			var at time.Duration
			if !f.Decoder().Decode(yamlfields.Resolve(item), field, &at) {
				continue
			}
			if at < 0 || at >= deadline {
				f.Decoder().Problem(item.Line, field, "%v is not within the deadline %v (deadline: in the experiment)", at, deadline)
				continue
			}
			s.At = append(s.At, at)
		}
		f.Check("at", len(items) > 0, "needs at least one offset")
	}
	if f.Read("every", &s.Every) {
		f.Check("every", s.Every > 0, "must be positive, got %v", s.Every)
		f.Check("every", !f.Has("at"), "give at or every, not both")
	}
	s.Start = s.Every
	for _, d := range []struct {
		key string
		dst *time.Duration
	}{{"start", &s.Start}, {"jitter", &s.Jitter}, {"min_gap", &s.MinGap}, {"duration", &s.Duration}} {
		if key, dst := d.key, d.dst; f.Read(key, dst) {
			f.Check(key, *dst >= 0, "must not be negative, got %v", *dst)
			f.Check(key, f.Has("every"), "applies to an every schedule")
		}
	}
	if f.Read("times", &s.Times) {
		f.Check("times", s.Times >= 1, "must be at least 1, got %d", s.Times)
		f.Check("times", f.Has("every"), "applies to an every schedule")
	}
	f.Check("jitter", s.Jitter < s.Every, "%v must be less than every (%v)", s.Jitter, s.Every)
	if f.OK("every") && !f.Has("times") && !f.Has("duration") {
		f.Fail("every", "an every schedule needs times or duration (or both)")
	}
	if f.OK("every") {
		if last := s.Last(); last >= deadline {
			f.Fail("every", "the schedule runs to %v, past the deadline %v", last, deadline)
		}
	}
	if !f.Has("at") && !f.Has("every") {
		s.At = []time.Duration{0} // once, at the start
		for _, key := range []string{"start", "jitter", "min_gap", "times", "duration"} {
			if f.Has(key) {
				f.Missing("every")
				break
			}
		}
	}
	f.Close()
	return s
}

func readProbe(f *yamlfields.Fields) chaos.Probe {
	var probes Probes
	timeout := DefaultProbeTimeout
	f.Read("timeout", &timeout)
	f.Check("timeout", timeout > 0, "must be positive, got %v", timeout)
	var rawURL string
	if f.Read("http", &rawURL) {
		u, err := url.Parse(rawURL)
		f.Check("http", err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "", "%q is not an http:// or https:// URL", rawURL)
		probes = append(probes, HTTPProbe{URL: rawURL, Timeout: timeout})
	}
	var expr, timeline string
	f.Read("timeline", &timeline)
	if f.Read("metric", &expr) {
		m, err := ParseMetric(expr, timeline)
		f.Check("metric", err == nil, "%v", err)
		if !f.Has("timeline") {
			f.Missing("timeline")
		}
		probes = append(probes, m)
	} else {
		f.Check("timeline", false, "applies to metric")
	}
	if !f.Has("http") && !f.Has("metric") && !f.Broken() {
		f.Decoder().Problem(f.Line(), strings.TrimSuffix(f.At(""), "."), "needs http, metric or both")
	}
	f.Close()
	return probes
}
