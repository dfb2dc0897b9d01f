package profiles

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/loadchaos/loadgen/internal/chaos/blast"
	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// ChaosEvent is one fault the embedded drill injects into its own workers:
// at a time (At), at a moment of the load's schedule (Moment), or when a
// condition of the live figures starts to hold (When). Exactly one is given.
type ChaosEvent struct {
	At time.Duration `yaml:"-"` // since the run's start, within its duration; written as at (see MarshalYAML)
	// Moment is a moment of the load's own schedule, such as the peak of
	// its second burst: written as at: burst.peak[1].
	Moment *Moment `yaml:"-"`
	// When is a condition of the run's live figures (a threshold expression
	// of package gate, checked against the last second): the event fires
	// when it starts to hold, at most Times times (default 1), until Until
	// since the run's start (default: the run's end). An event whose
	// condition never held is journaled as not fired; the run goes on.
	When   string        `yaml:"when,omitempty"`
	Times  int           `yaml:"times,omitempty"`
	Until  time.Duration `yaml:"until,omitempty"`
	Action string        `yaml:"action"` // kill (SIGKILL), terminate (SIGTERM), pause (SIGSTOP), or scale (a scale-out: count more consumers of Group)
	// Target is consumers, backends, workers (both), or the broker: the
	// embedded one, which only a pause may hit (it keeps its messages in
	// memory, so killing it would lose them). A scale adds consumers only.
	Target string `yaml:"target"`
	Group  string `yaml:"group,omitempty"` // only consumers of this group; required by a scale
	Tier   int    `yaml:"tier,omitempty"`  // only backends of this tier of the chain, from 1 at the front
	// The blast radius: count processes (default 1), or a percent of those
	// matching, or all of them. Give at most one. A scale takes a count
	// only, the consumers it adds: MaxScaleOut at most in the profile.
	blast.Radius `yaml:",inline"`
	// For is how long the fault lasts: a paused process resumes, a killed or
	// terminated one restarts, the consumers a scale added stop (SIGTERM).
	// Default: until the load ends; a scale's consumers, until the run ends,
	// so that they help drain what is left.
	For time.Duration `yaml:"for,omitempty"`
}

var (
	chaosActions = []string{"kill", "terminate", "pause", "scale"}
	chaosTargets = []string{"consumers", "backends", "workers", "broker"}
)

// MaxScaleOut bounds the consumers a profile's scale events add, over all
// their times: each is a process of its own on the machine running the
// load.
const MaxScaleOut = 64

// MarshalYAML writes at as the moment or the duration it was read from;
// an event with a when has no at.
func (e ChaosEvent) MarshalYAML() (any, error) {
	type fields ChaosEvent // without this method
	out := struct {
		At     string `yaml:"at,omitempty"`
		fields `yaml:",inline"`
	}{fields: fields(e)}
	switch {
	case e.Moment != nil:
		out.At = e.Moment.String()
	case e.When == "":
		out.At = e.At.String()
	}
	return out, nil
}

// maxChaosTimes bounds how often one when may fire: each fire is a fault
// with its own undo.
const maxChaosTimes = 1000

func readChaos(f *yamlfields.Fields, p *Profile, c checks) []ChaosEvent {
	n := f.Take("chaos")
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		f.Fail("chaos", "want a list of chaos events, got %s", yamlfields.Describe(n))
		return nil
	}
	events := make([]ChaosEvent, len(n.Content))
	scaled := 0 // consumers the scale events so far add
	for i, item := range n.Content {
		events[i] = readChaosEvent(f.Decoder().Mapping(yamlfields.Resolve(item), fmt.Sprintf("chaos[%d]", i)), p, c, &scaled)
	}
	return events
}

func readChaosEvent(f *yamlfields.Fields, p *Profile, c checks, scaled *int) ChaosEvent {
	e := ChaosEvent{}
	if f.Has("when") {
		readChaosWhen(f, p, c, &e)
	} else {
		readChaosAt(f, p, &e)
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
	if f.Read("tier", &e.Tier) {
		f.Check("tier", e.Target == "backends", "only backends have a tier; target is %q", e.Target)
		f.Check("tier", e.Tier >= 1 && e.Tier <= p.Environment.Chain, "%d is not a tier of the chain, 1 to %d", e.Tier, p.Environment.Chain)
	}
	e.Radius = blast.Read(f)
	if e.Action == "scale" {
		checkScale(f, &e, scaled)
	}
	if f.Read("for", &e.For) {
		checkDuration(f, "for", e.For, false)
	}
	f.Close()
	return e
}

// checkScale checks what a scale adds: a count of consumers of one group,
// which with the scale events before it (scaled) stays within MaxScaleOut.
func checkScale(f *yamlfields.Fields, e *ChaosEvent, scaled *int) {
	f.Check("target", e.Target == "consumers", "a scale adds consumers; target is %q", e.Target)
	if !f.Has("group") {
		f.Fail("group", "a scale adds consumers to one group: name it")
	}
	f.Check("percent", e.Percent == 0, "a scale adds a count of consumers, not a percent of those running")
	f.Check("all", !e.All, "a scale adds a count of consumers, not all")
	added := max(e.Count, 1) * max(e.Times, 1)
	*scaled += added
	if *scaled > MaxScaleOut {
		key := "count"
		if e.Times > 1 {
			key = "times"
		}
		f.Check(key, false, "adds %d consumers (count times times), %d in all with the scale events before it: at most %d in a profile",
			added, *scaled, MaxScaleOut)
	}
}

// readChaosAt reads an event's time, or moment of the schedule.
func readChaosAt(f *yamlfields.Fields, p *Profile, e *ChaosEvent) {
	for _, key := range []string{"times", "until"} {
		if f.Has(key) {
			f.Fail(key, "only an event with a when has %s", key)
			f.Take(key)
		}
	}
	var at string
	if !f.Require("at", &at) {
		return
	}
	if strings.HasPrefix(at, "burst.") {
		m, err := ParseMoment(at)
		if err != nil {
			f.Fail("at", "%v", err)
			return
		}
		bursts := p.burstsAtMost()
		f.Check("at", bursts > 0, "%s: no stage of the profile has the burst shape", m)
		f.Check("at", bursts == 0 || m.Burst < bursts, "%s: the run has at most %d bursts, counted from 0", m, bursts)
		e.Moment = &m
		return
	}
	d, err := time.ParseDuration(at)
	if err != nil {
		f.Fail("at", "%s is not a duration (like 30s) nor a moment of the schedule (like burst.peak or burst.start[2])", yamlfields.Describe(f.Take("at")))
		return
	}
	e.At = d
	f.Check("at", e.At >= 0 && e.At < p.Duration, "%v is not within the run's %v", e.At, p.Duration)
}

// readChaosWhen reads an event fired by a condition of the live figures.
func readChaosWhen(f *yamlfields.Fields, p *Profile, c checks, e *ChaosEvent) {
	if f.Has("at") {
		f.Fail("at", "give at or when, not both")
		f.Take("at")
	}
	if f.Read("when", &e.When) && c.condition != nil {
		if err := c.condition(e.When); err != nil {
			f.Fail("when", "%v", err)
		}
	}
	e.Times = 1
	if f.Read("times", &e.Times) {
		f.Check("times", e.Times >= 1 && e.Times <= maxChaosTimes, "%d is not from 1 to %d", e.Times, maxChaosTimes)
	}
	if f.Read("until", &e.Until) {
		f.Check("until", e.Until > 0 && e.Until <= p.Duration, "%v is not within the run's %v", e.Until, p.Duration)
	}
}
