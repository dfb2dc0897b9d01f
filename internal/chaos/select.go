package chaos

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/loadchaos/loadgen/internal/proc"
)

// Selector picks the processes an action hits: the blast radius.
type Selector struct {
	Role    string  // "backend", "consumer", or "" for either
	Group   string  // only consumers of this group; "" for any
	Count   int     // hit this many; the default when nothing else is set is 1
	Percent float64 // or this share of the matches, rounded up, 0 to 100
	All     bool    // or every match
}

// Pick chooses the targets among live processes, at random with rng. It
// fails when nothing matches: an action that hits nothing is a mistake
// worth hearing about.
func (s Selector) Pick(live []proc.Info, rng *rand.Rand) ([]proc.Info, error) {
	var matches []proc.Info
	for _, p := range live {
		if (s.Role == "" || p.Role == s.Role) && (s.Group == "" || p.Group == s.Group) && !p.Paused {
			matches = append(matches, p)
		}
	}
	if len(matches) == 0 {
		return nil, fmt.Errorf("%s matches no live process", s)
	}
	n := s.Count
	switch {
	case s.All:
		n = len(matches)
	case s.Percent > 0:
		n = int(math.Ceil(s.Percent / 100 * float64(len(matches))))
	case n <= 0:
		n = 1
	}
	rng.Shuffle(len(matches), func(i, j int) { matches[i], matches[j] = matches[j], matches[i] })
	return matches[:min(n, len(matches))], nil
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
	switch {
	case s.All:
		parts = append([]string{"all"}, parts...)
	case s.Percent > 0:
		parts = append([]string{fmt.Sprintf("%g%% of", s.Percent)}, parts...)
	default:
		parts = append([]string{fmt.Sprint(max(s.Count, 1)), "of"}, parts...)
	}
	return strings.Join(parts, " ")
}
