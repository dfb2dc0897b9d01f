package profiles

import (
	"fmt"
	"slices"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/loadchaos/loadgen/internal/chaos/blast"
	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// ChaosEvent is one fault the embedded drill injects into its own workers.
type ChaosEvent struct {
	At     time.Duration `yaml:"at"`     // since the run's start, within its duration
	Action string        `yaml:"action"` // kill (SIGKILL), terminate (SIGTERM) or pause (SIGSTOP)
	// Target is consumers, backends, workers (both), or the broker: the
	// embedded one, which only a pause may hit (it keeps its messages in
	// memory, so killing it would lose them).
	Target string `yaml:"target"`
	Group  string `yaml:"group,omitempty"` // only consumers of this group
	// The blast radius: count processes (default 1), or a percent of those
	// matching, or all of them. Give at most one.
	blast.Radius `yaml:",inline"`
	// For is how long the fault lasts: a paused process resumes, a killed or
	// terminated one restarts. Default: until the load ends.
	For time.Duration `yaml:"for,omitempty"`
}

var (
	chaosActions = []string{"kill", "terminate", "pause"}
	chaosTargets = []string{"consumers", "backends", "workers", "broker"}
)

func readChaos(f *yamlfields.Fields, p *Profile) []ChaosEvent {
	n := f.Take("chaos")
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		f.Fail("chaos", "want a list of chaos events, got %s", yamlfields.Describe(n))
		return nil
	}
	events := make([]ChaosEvent, len(n.Content))
	for i, item := range n.Content {
		events[i] = readChaosEvent(f.Decoder().Mapping(yamlfields.Resolve(item), fmt.Sprintf("chaos[%d]", i)), p)
	}
	return events
}

func readChaosEvent(f *yamlfields.Fields, p *Profile) ChaosEvent {
	e := ChaosEvent{}
	if f.Require("at", &e.At) {
		f.Check("at", e.At >= 0 && e.At < p.Duration, "%v is not within the run's %v", e.At, p.Duration)
	}
	if f.Require("action", &e.Action) {
		f.Check("action", slices.Contains(chaosActions, e.Action), "%q is not one of %v", e.Action, chaosActions)
	}
	if f.Require("target", &e.Target) {
		f.Check("target", slices.Contains(chaosTargets, e.Target), "%q is not one of %v", e.Target, chaosTargets)
	}
	f.Check("target", e.Target != "broker" || e.Action == "pause",
		"the embedded broker keeps its messages in memory: only a pause may hit it, not a %s", e.Action)
	if f.Read("group", &e.Group) {
		f.Check("group", e.Target == "consumers", "only consumers have a group; target is %q", e.Target)
		f.Check("group", slices.ContainsFunc(p.Environment.Groups, func(g Group) bool { return g.Name == e.Group }),
			"%q is not a group of the environment", e.Group)
	}
	e.Radius = blast.Read(f)
	if f.Read("for", &e.For) {
		checkDuration(f, "for", e.For, false)
	}
	f.Close()
	return e
}
