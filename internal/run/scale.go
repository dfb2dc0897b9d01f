package run

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/phases"
	"github.com/loadchaos/loadgen/internal/proc"
)

var _ chaos.Scaler = workers{}

// Reserve names n more consumers of group for a scale-out; only consumers
// are added.
func (w workers) Reserve(role, group string, n int) ([]proc.Info, error) {
	if role != proc.RoleConsumer {
		return nil, fmt.Errorf("a scale-out adds consumers, not %ss", role)
	}
	specs, err := w.env.nameConsumers(group, n)
	if err != nil {
		return nil, err
	}
	out := make([]proc.Info, len(specs))
	w.env.mu.Lock()
	defer w.env.mu.Unlock()
	for i, spec := range specs {
		w.env.reserved[spec.Name] = spec
		out[i] = proc.Info{Name: spec.Name, Role: spec.Role, Group: spec.Group}
	}
	return out, nil
}

// Add starts a consumer Reserve named, once.
func (w workers) Add(ctx context.Context, c proc.Info) (proc.Info, error) {
	w.env.mu.Lock()
	spec, ok := w.env.reserved[c.Name]
	delete(w.env.reserved, c.Name)
	w.env.mu.Unlock()
	if !ok {
		return proc.Info{}, fmt.Errorf("no consumer %s was reserved", c.Name)
	}
	return w.Supervisor.Start(ctx, spec)
}

// Remove stops a consumer a scale-out added, as the drill's end would.
func (w workers) Remove(name string) error {
	found := false
	w.Supervisor.Stop(stopGrace, func(p proc.Info) bool {
		found = found || p.Name == name
		return p.Name == name
	})
	if !found {
		return fmt.Errorf("no process %s", name)
	}
	return nil
}

// scaleOut puts the drain rates around each scale-out of the run's chaos
// into the summary.
func (s *session) scaleOut(a *bundle.Async) error {
	faults, err := phases.ReadJournal(filepath.Join(s.b.Dir, bundle.JournalFile), s.start)
	if err != nil {
		return err
	}
	a.ScaleOut, err = phases.ScaleOut(s.b.Dir, faults)
	return err
}
