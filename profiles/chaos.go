package profiles

import (
	"fmt"
	"slices"
	"time"

	"gopkg.in/yaml.v3"
)

// ChaosEvent is one fault the embedded drill injects into its own workers.
type ChaosEvent struct {
	At     time.Duration `yaml:"at"`     // since the run's start, within its duration
	Action string        `yaml:"action"` // kill (SIGKILL), terminate (SIGTERM) or pause (SIGSTOP)
	// Target is consumers, backends, or workers (both).
	Target string `yaml:"target"`
	Group  string `yaml:"group,omitempty"` // only consumers of this group
	// The blast radius: Count processes (default 1), or Percent of those
	// matching, or All of them. Give at most one.
	Count   int     `yaml:"count,omitempty"`
	Percent float64 `yaml:"percent,omitempty"`
	All     bool    `yaml:"all,omitempty"`
	// For is how long the fault lasts: a paused process resumes, a killed or
	// terminated one restarts. Default: until the load ends.
	For time.Duration `yaml:"for,omitempty"`
}

var (
	chaosActions = []string{"kill", "terminate", "pause"}
	chaosTargets = []string{"consumers", "backends", "workers"}
)

func readChaos(f *fields, p *Profile) []ChaosEvent {
	n := f.take("chaos")
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		f.fail("chaos", "want a list of chaos events, got %s", describe(n))
		return nil
	}
	events := make([]ChaosEvent, len(n.Content))
	for i, item := range n.Content {
		events[i] = readChaosEvent(f.d.mapping(resolve(item), fmt.Sprintf("chaos[%d]", i)), p)
	}
	return events
}

func readChaosEvent(f *fields, p *Profile) ChaosEvent {
	e := ChaosEvent{}
	if f.require("at", &e.At) {
		f.check("at", e.At >= 0 && e.At < p.Duration, "%v is not within the run's %v", e.At, p.Duration)
	}
	if f.require("action", &e.Action) {
		f.check("action", slices.Contains(chaosActions, e.Action), "%q is not one of %v", e.Action, chaosActions)
	}
	if f.require("target", &e.Target) {
		f.check("target", slices.Contains(chaosTargets, e.Target), "%q is not one of %v", e.Target, chaosTargets)
	}
	if f.read("group", &e.Group) {
		f.check("group", e.Target == "consumers", "only consumers have a group; target is %q", e.Target)
		f.check("group", slices.ContainsFunc(p.Environment.Groups, func(g Group) bool { return g.Name == e.Group }),
			"%q is not a group of the environment", e.Group)
	}
	radius := 0
	if f.read("count", &e.Count) {
		radius++
		f.check("count", e.Count >= 1, "must be at least 1, got %d", e.Count)
	}
	if f.read("percent", &e.Percent) {
		radius++
		f.check("percent", e.Percent > 0 && e.Percent <= 100, "%v is not a percentage above 0 up to 100", e.Percent)
	}
	if f.read("all", &e.All) {
		radius++
	}
	if radius > 1 {
		f.fail("count", "give one of count, percent and all")
	}
	if f.read("for", &e.For) {
		f.check("for", e.For > 0, "must be positive, got %v", e.For)
	}
	f.close()
	return e
}
