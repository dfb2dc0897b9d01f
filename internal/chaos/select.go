package chaos

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/loadchaos/loadgen/internal/chaos/blast"
	"github.com/loadchaos/loadgen/internal/proc"
)

// Picker chooses the processes an event hits, at random with rng: Selector
// among an embedded run's workers; package agent picks among a host's
// processes.
type Picker interface {
	Targets(procs Processes, rng *rand.Rand) ([]proc.Info, error)
	String() string
}

// Selector picks among the workers of an embedded run by role and group.
type Selector struct {
	Role   string       // "backend", "consumer", "broker", or "" for the workers: backends and consumers
	Group  string       // only workers of this group: a consumer group, or a backend tier; "" for any
	Radius blast.Radius // how many of the matches; default 1
}

var _ Picker = Selector{}

// Targets picks among procs' live processes.
func (s Selector) Targets(procs Processes, rng *rand.Rand) ([]proc.Info, error) {
	return s.Pick(procs.Live(), rng)
}

// Pick chooses the targets among live processes, at random with rng. It
// fails when nothing matches: an action that hits nothing is a mistake
// worth hearing about.
func (s Selector) Pick(live []proc.Info, rng *rand.Rand) ([]proc.Info, error) {
	var matches []proc.Info
	for _, p := range live {
		if s.hasRole(p.Role) && (s.Group == "" || p.Group == s.Group) && !p.Paused {
			matches = append(matches, p)
		}
	}
	if len(matches) == 0 {
		return nil, fmt.Errorf("%s matches no live process", s)
	}
	return pickN(matches, s.Radius.Of(len(matches)), rng), nil
}

// hasRole reports whether a process of role matches: any worker when the
// selector names no role, never the broker but by name.
func (s Selector) hasRole(role string) bool {
	if s.Role == "" {
		return role == proc.RoleBackend || role == proc.RoleConsumer
	}
	return role == s.Role
}

func (s Selector) String() string {
	var parts []string
	switch s.Role {
	case "":
		parts = append(parts, "workers")
	default:
		parts = append(parts, s.Role+"s")
	}
	if s.Group != "" {
		parts = append(parts, "of group "+s.Group)
	}
	return s.Radius.String() + " " + strings.Join(parts, " ")
}

// pickN shuffles matches with rng and keeps the first n.
func pickN(matches []proc.Info, n int, rng *rand.Rand) []proc.Info {
	rng.Shuffle(len(matches), func(i, j int) { matches[i], matches[j] = matches[j], matches[i] })
	return matches[:min(n, len(matches))]
}
