package agent

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/chaos/blast"
	"github.com/loadchaos/loadgen/internal/proc"
)

// DefaultMaxMatches caps what one selector may match: a selector matching
// more is refused as a likely mistake (a regular expression too wide).
const DefaultMaxMatches = 10

// HostPick picks among a host's processes: what Select matches now, minus
// the protected and the stopped, as many as Radius says. It refuses a
// selector matching nothing or more than MaxMatches, and a pick that would
// take down the last live member of a peer group (see HostProc.Peers)
// unless AllowLast.
type HostPick struct {
	Select     HostSelector
	Radius     blast.Radius
	MaxMatches int  // 0: DefaultMaxMatches
	AllowLast  bool // may take down the last live member of a peer group
}

// hostPicker is a HostPick bound to the host it picks on: a runner's
// Picker for a runner that plays on that same host. It holds the host
// itself, so it never has to ask what a runner's Processes are.
type hostPicker struct {
	host *Host
	pick HostPick
}

var _ chaos.Picker = hostPicker{}

// picker binds p to h.
func (h *Host) picker(p HostPick) hostPicker { return hostPicker{host: h, pick: p} }

// Targets resolves the selector on the host and picks; the runner's
// processes are that host.
func (p hostPicker) Targets(_ chaos.Processes, rng *rand.Rand) ([]proc.Info, error) {
	sel, err := p.host.Select(p.pick.Select)
	if err != nil {
		return nil, err
	}
	picked, err := p.pick.Pick(sel, rng)
	if err != nil {
		return nil, err
	}
	p.host.remember(picked...)
	infos := make([]proc.Info, len(picked))
	for i, hp := range picked {
		infos[i] = hp.Info
	}
	return infos, nil
}

// Pick applies the blast radius and the safety rules to a selection.
func (p HostPick) Pick(sel *Selection, rng *rand.Rand) ([]HostProc, error) {
	if err := p.Check(sel); err != nil {
		return nil, err
	}
	matches := make([]HostProc, len(sel.Matches))
	for i, m := range sel.Matches {
		matches[i] = m.HostProc
	}
	rng.Shuffle(len(matches), func(i, j int) { matches[i], matches[j] = matches[j], matches[i] })
	picked := matches[:p.Radius.Of(len(matches))]
	if p.AllowLast {
		return picked, nil
	}
	taken := map[string]int{}
	for _, hp := range picked {
		taken[hp.Peers()]++
	}
	for peers, n := range taken {
		if n >= sel.peers[peers] {
			return nil, fmt.Errorf("refused: it would take down the last live member of the %s (%d live, %d picked); allow_last (--allow-last) permits it",
				peers, sel.peers[peers], n)
		}
	}
	return picked, nil
}

// Check refuses a selection that matches nothing the agent may signal, or
// more than the cap.
func (p HostPick) Check(sel *Selection) error {
	limit := p.MaxMatches
	if limit <= 0 {
		limit = DefaultMaxMatches
	}
	switch {
	case len(sel.Matches) == 0 && len(sel.Refused) > 0:
		var refused []string
		for _, m := range sel.Refused {
			refused = append(refused, fmt.Sprintf("pid %d (%s)", m.PID, m.Refused))
		}
		return fmt.Errorf("refused: it matches no process the agent may signal; matched only %s", strings.Join(refused, ", "))
	case len(sel.Matches) == 0:
		return errors.New("refused: it matches no live process")
	case len(sel.Matches) > limit:
		return fmt.Errorf("refused: it matches %d processes, more than the cap of %d (max_matches, --max-matches)", len(sel.Matches), limit)
	}
	return nil
}

func (p HostPick) String() string { return p.Radius.String() + " " + p.Select.String() }

func (p hostPicker) String() string { return p.pick.String() }
