package profiles

import (
	"fmt"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// Environment is the embedded drill that `loadgen run` starts when it is
// given no target: the workers both paths run on, with the same work and the
// same capacity, so the comparison is fair.
type Environment struct {
	Work Work `yaml:"work"` // what every worker does per job, unless its group says otherwise
	// Backends is the number of sync worker processes; default 2.
	Backends int `yaml:"backends"`
	// BackendQueue is how many requests a backend lets wait for a free slot
	// beyond its concurrency, as a server's accept queue or thread pool
	// queue does; more get 503 at once. Default 50.
	BackendQueue int `yaml:"backend_queue"`
	// Chain is how many backends one sync request passes through in turn
	// (edge -> A -> B -> C is 3); each tier has Backends processes. Default 1,
	// or the number of Tiers.
	Chain int `yaml:"chain"`
	// Tiers is each tier's own work, the front tier first, when they differ:
	// a chain of len(Tiers). Default: every tier does Work.
	Tiers []Work `yaml:"tiers,omitempty"`
	// EdgeTimeout is the sync edge's budget per request: past it, 504; default 2s.
	EdgeTimeout time.Duration `yaml:"edge_timeout"`
	// Partitions of the jobs topic; default 6.
	Partitions int `yaml:"partitions"`
	// SessionTimeout and Heartbeat of the consumer groups: how soon a dead
	// consumer's partitions move to another; defaults 6s and 1s.
	SessionTimeout time.Duration `yaml:"session_timeout"`
	Heartbeat      time.Duration `yaml:"heartbeat"`
	// Drain bounds the wait for completions after the load; default 60s.
	Drain time.Duration `yaml:"drain"`
	// Groups are the consumer groups on the jobs topic: each gets every job
	// (one event, many consumers). Default: one group "workers" with
	// Backends consumers.
	Groups []Group `yaml:"groups"`
}

// Work is what one worker does per job (see targets/work).
type Work struct {
	// Service is the service-time distribution: fixed:20ms, exp:20ms or
	// lognormal:MEDIAN,P99. Default lognormal:10ms,40ms.
	Service     string  `yaml:"service"`
	Concurrency int     `yaml:"concurrency"`  // jobs one worker runs at once; default 4
	FailureRate float64 `yaml:"failure_rate"` // fraction of jobs that fail, 0 to 1; default 0
}

// Group is one consumer group on the jobs topic.
type Group struct {
	Name      string `yaml:"name"`
	Consumers int    `yaml:"consumers"`      // worker processes; default Environment.Backends
	Work      *Work  `yaml:"work,omitempty"` // default: the environment's
	// CommitInterval is how often its consumers commit the offsets of done
	// jobs, as a Kafka client's auto-commit does; a consumer that dies
	// leaves the jobs done since its last commit to be done again. 0 (the
	// default): after every job.
	CommitInterval time.Duration `yaml:"commit_interval,omitempty"`
}

// TierWork is the work of the sync chain's tier, counted from 1 at the front.
func (e Environment) TierWork(tier int) Work {
	if tier >= 1 && tier <= len(e.Tiers) {
		return e.Tiers[tier-1]
	}
	return e.Work
}

// WorkOf is the work of a group: its own, or the environment's.
func (e Environment) WorkOf(g Group) Work {
	if g.Work != nil {
		return *g.Work
	}
	return e.Work
}

func readEnvironment(f *yamlfields.Fields, c checks) Environment {
	e := Environment{Backends: 2, BackendQueue: 50, Chain: 1, EdgeTimeout: 2 * time.Second, Partitions: 6,
		SessionTimeout: 6 * time.Second, Heartbeat: time.Second, Drain: 60 * time.Second}
	e.Work = readWork(f.Section("work"), Work{Service: "lognormal:10ms,40ms", Concurrency: 4}, c)
	f.Read("backends", &e.Backends)
	f.Check("backends", e.Backends >= 1, "must be at least 1, got %d", e.Backends)
	f.Read("backend_queue", &e.BackendQueue)
	f.Check("backend_queue", e.BackendQueue >= 0, "must not be negative, got %d", e.BackendQueue)
	e.Tiers = readTiers(f, e.Work, c)
	if f.Read("chain", &e.Chain) {
		f.Check("chain", e.Chain >= 1 && e.Chain <= maxChain, "must be from 1 to %d, got %d", maxChain, e.Chain)
		f.Check("chain", e.Tiers == nil || e.Chain == len(e.Tiers), "%d disagrees with the %d tiers given", e.Chain, len(e.Tiers))
	} else if e.Tiers != nil {
		e.Chain = len(e.Tiers)
	}
	for _, d := range []struct {
		key string
		dst *time.Duration
	}{{"edge_timeout", &e.EdgeTimeout}, {"session_timeout", &e.SessionTimeout}, {"heartbeat", &e.Heartbeat}, {"drain", &e.Drain}} {
		f.Read(d.key, d.dst)
		checkDuration(f, d.key, *d.dst, false)
	}
	f.Check("heartbeat", e.Heartbeat < e.SessionTimeout, "%v must be shorter than session_timeout %v", e.Heartbeat, e.SessionTimeout)
	f.Read("partitions", &e.Partitions)
	f.Check("partitions", e.Partitions >= 1, "must be at least 1, got %d", e.Partitions)
	e.Groups = readGroups(f, e, c)
	f.Close()
	return e
}

func readWork(f *yamlfields.Fields, w Work, c checks) Work {
	if f.Read("service", &w.Service) && c.serviceTime != nil {
		if err := c.serviceTime(w.Service); err != nil {
			f.Fail("service", "%v", err)
		}
	}
	f.Read("concurrency", &w.Concurrency)
	f.Check("concurrency", w.Concurrency >= 1, "must be at least 1, got %d", w.Concurrency)
	f.Read("failure_rate", &w.FailureRate)
	f.Check("failure_rate", w.FailureRate >= 0 && w.FailureRate <= 1, "%v is not a fraction from 0 to 1", w.FailureRate)
	f.Close()
	return w
}

// maxChain bounds the sync chain: each tier is Backends more processes.
const maxChain = 5

// readTiers reads the chain's per-tier work; each tier's work defaults to
// the environment's, field by field.
func readTiers(f *yamlfields.Fields, w Work, c checks) []Work {
	n := f.Take("tiers")
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 || len(n.Content) > maxChain {
		f.Fail("tiers", "want a list of 1 to %d tiers' work, got %s", maxChain, yamlfields.Describe(n))
		return nil
	}
	tiers := make([]Work, len(n.Content))
	for i, item := range n.Content {
		tiers[i] = readWork(f.Decoder().Mapping(yamlfields.Resolve(item), fmt.Sprintf("%s[%d]", f.At("tiers"), i)), w, c)
	}
	return tiers
}

func readGroups(f *yamlfields.Fields, e Environment, c checks) []Group {
	n := f.Take("groups")
	if n == nil {
		return []Group{{Name: "workers", Consumers: e.Backends}}
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		f.Fail("groups", "want a list of consumer groups, got %s", yamlfields.Describe(n))
		return nil
	}
	groups := make([]Group, len(n.Content))
	seen := map[string]int{}
	for i, item := range n.Content {
		g := &groups[i]
		gf := f.Decoder().Mapping(yamlfields.Resolve(item), fmt.Sprintf("%s[%d]", f.At("groups"), i))
		if gf.Require("name", &g.Name) {
			gf.Check("name", isTopic(g.Name), "%q is not a valid group name (a-z A-Z 0-9 . _ -)", g.Name)
			if first, dup := seen[g.Name]; dup {
				gf.Fail("name", "group %q is declared twice (first at groups[%d])", g.Name, first)
			}
			seen[g.Name] = i
		}
		g.Consumers = e.Backends
		gf.Read("consumers", &g.Consumers)
		gf.Check("consumers", g.Consumers >= 1, "must be at least 1, got %d", g.Consumers)
		gf.Read("commit_interval", &g.CommitInterval)
		checkDuration(gf, "commit_interval", g.CommitInterval, true)
		if gf.Has("work") {
			w := readWork(gf.Section("work"), e.Work, c)
			g.Work = &w
		}
		gf.Close()
	}
	return groups
}
