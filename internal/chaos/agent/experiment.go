package agent

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/secretfile"
)

// DefaultDeadline is when an experiment halts if its file says nothing:
// every fault is undone and the agent exits, whatever is left to do.
const DefaultDeadline = 30 * time.Minute

// Experiment is a chaos experiment as its YAML file says (the schema is in
// doc.go): a list of actions, each a selector, a fault, a schedule and
// limits, and what holds for all of them.
type Experiment struct {
	Source      string
	Name        string // default: the file's base name without extension
	Description string
	Seed        uint64        // 0: chosen when it runs, and journaled
	Deadline    time.Duration // default DefaultDeadline
	Probe       chaos.Probe   // nil: no steady-state check
	Actions     []Action
}

// Action is one kind of harm and when to do it.
type Action struct {
	Name   string
	Fault  chaos.Fault // Signal, chaos.Pause, Restart or Exec
	Select *HostPick   // nil for an exec that targets no local process
	For    time.Duration
	// Schedule is when it fires; the chaos API's triggers ignore it.
	Schedule Schedule
}

// maxExperimentBytes bounds an experiment file; a long one is a few KiB.
const maxExperimentBytes = 1 << 20

// Load reads and validates an experiment file of at most
// maxExperimentBytes. An invalid one returns a *yamlfields.Error naming
// every problem with file, line and field.
func Load(path string) (*Experiment, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("experiment %s: %w", path, err)
		}
		return nil, fmt.Errorf("read experiment: %w", err)
	}
	defer f.Close()
	data, err := secretfile.ReadAtMost(f, maxExperimentBytes)
	if err != nil {
		return nil, fmt.Errorf("experiment %s: %w", path, err)
	}
	return Parse(path, data)
}

// Events lays the actions' schedules out as the events of a runner that
// plays on host, drawing jitter from seed; nothing fires at or after the
// deadline.
func (e *Experiment) Events(host *Host, seed uint64) []chaos.Event {
	rng := rand.New(rand.NewPCG(seed, 0x7363686564))
	var events []chaos.Event
	for _, a := range e.Actions {
		for _, at := range a.Schedule.Offsets(rng, e.Deadline) {
			events = append(events, a.event(host, at))
		}
	}
	return events
}

// Action finds an action by name.
func (e *Experiment) Action(name string) (Action, bool) {
	for _, a := range e.Actions {
		if a.Name == name {
			return a, true
		}
	}
	return Action{}, false
}

// event is the action firing at at, picking on host.
func (a Action) event(host *Host, at time.Duration) chaos.Event {
	ev := chaos.Event{Name: a.Name, At: at, Fault: a.Fault, For: a.For}
	if a.Select != nil {
		ev.Select = host.picker(*a.Select)
	}
	return ev
}
