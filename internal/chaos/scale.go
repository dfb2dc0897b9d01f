package chaos

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/proc"
)

// Scaler is a Processes that can add workers like those it runs and take
// them away again, as the embedded run can: a scale-out.
type Scaler interface {
	// Reserve names n more workers of role and group, with names no
	// process of the run has had: the workers Add then starts.
	Reserve(role, group string, n int) ([]proc.Info, error)
	// Add starts the worker Reserve named w, set up like the others of its
	// group, and returns it once it is ready.
	Add(ctx context.Context, w proc.Info) (proc.Info, error)
	// Remove stops worker name cleanly (SIGTERM, SIGKILL after a grace
	// period) and forgets it.
	Remove(name string) error
}

// ErrCannotScale is the error of a scale-out on processes that cannot be
// added to (the standalone agent's hosts).
var ErrCannotScale = errors.New("these processes cannot be scaled out: only the embedded drill starts workers")

// Additions names the workers a scale-out adds: Count more (default 1)
// of Role and Group.
type Additions struct {
	Role  string
	Group string
	Count int
}

var _ Picker = Additions{}

// Targets reserves the workers to add; rng is not needed, nothing is chosen.
func (a Additions) Targets(procs Processes, _ *rand.Rand) ([]proc.Info, error) {
	s, ok := procs.(Scaler)
	if !ok {
		return nil, ErrCannotScale
	}
	return s.Reserve(a.Role, a.Group, max(a.Count, 1))
}

func (a Additions) String() string {
	return fmt.Sprintf("%d more %ss of group %s", max(a.Count, 1), a.Role, a.Group)
}

// Scale starts the workers Additions names: a scale-out. Its undo stops
// them again (SIGTERM), unless Stays. Its targets are started at once
// (Simultaneous): each new consumer is ready once its group has
// rebalanced, and one rebalance for them all is both quicker than one each
// and what a scale-out does.
type Scale struct {
	// Stays leaves the workers added running after the halt, through the
	// drain, which they help: unlike a fault, they leave nothing broken
	// for the halt to repair.
	Stays bool
}

var (
	_ Fault        = Scale{}
	_ Simultaneous = Scale{}
)

func (Scale) Action() string     { return bundle.ActionScale }
func (Scale) UndoAction() string { return bundle.ActionStop }
func (Scale) simultaneous()      {}

func (s Scale) Inject(ctx context.Context, procs Processes, target proc.Info) (Outcome, Undo, error) {
	sc, ok := procs.(Scaler)
	if !ok {
		return Outcome{Target: target}, nil, ErrCannotScale
	}
	added, err := sc.Add(ctx, target)
	if err != nil {
		return Outcome{Target: target}, nil, err
	}
	if s.Stays {
		return Outcome{Target: added}, nil, nil
	}
	return Outcome{Target: added}, func(context.Context) (Outcome, error) {
		return Outcome{Target: added}, sc.Remove(added.Name)
	}, nil
}
