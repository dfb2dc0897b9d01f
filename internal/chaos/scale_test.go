package chaos

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos/blast"
	"github.com/loadchaos/loadgen/internal/proc"
)

// scalingProcs are fakeProcs that can be added to. Each Add waits until
// every worker reserved so far is being added, as a consumer waits for
// its group's rebalance, or fails after addWait: workers added in turn
// instead of at once fail.
type scalingProcs struct {
	*fakeProcs
	named    map[string]int // workers of each group named so far
	reserved int
	adding   chan struct{} // one send per Add under way
	removed  []string
}

const addWait = 2 * time.Second

func newScalingProcs() *scalingProcs {
	return &scalingProcs{fakeProcs: workers(), named: map[string]int{"email": 2, "index": 1}, adding: make(chan struct{}, 64)}
}

func (s *scalingProcs) Reserve(role, group string, n int) ([]proc.Info, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []proc.Info
	for range n {
		s.named[group]++
		out = append(out, proc.Info{Name: fmt.Sprintf("%s-%s-%d", role, group, s.named[group]), Role: role, Group: group})
	}
	s.reserved += n
	return out, nil
}

func (s *scalingProcs) Add(_ context.Context, w proc.Info) (proc.Info, error) {
	s.adding <- struct{}{}
	deadline := time.After(addWait)
	for {
		s.mu.Lock()
		all := len(s.adding) == s.reserved
		s.mu.Unlock()
		if all {
			break
		}
		select {
		case <-deadline:
			return proc.Info{}, fmt.Errorf("%s: the others were not added at the same time", w.Name)
		case <-time.After(time.Millisecond):
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	w.PID = s.nextPID
	s.nextPID++
	s.procs[w.Name] = &w
	return w, nil
}

func (s *scalingProcs) Remove(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.procs[name]; !ok {
		return fmt.Errorf("no process %s", name)
	}
	delete(s.procs, name)
	s.removed = append(s.removed, name)
	return nil
}

func TestAScaleAddsWorkersAtOnceAndStopsThemAfterFor(t *testing.T) {
	procs := newScalingProcs()
	var buf bytes.Buffer
	start := time.Now()
	r := NewRunner(procs, NewJournal(&buf, start), 1)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	r.Run(ctx, start, []Event{{Fault: Scale{}, Select: Additions{Role: "consumer", Group: "email", Count: 3}, For: 50 * time.Millisecond}})
	injected := r.Injected()
	if len(injected) != 1 || len(injected[0].Targets) != 3 {
		t.Fatalf("injected %+v; want 3 consumers added", injected)
	}
	added := injected[0].Targets
	for _, w := range added {
		if w.PID == 0 || w.Group != "email" || w.Role != "consumer" {
			t.Errorf("added %+v: want an email consumer with its PID", w)
		}
	}
	// The added workers are targets like the others.
	hit, err := Selector{Role: "consumer", Group: "email", Radius: blast.Radius{All: true}}.Pick(procs.Live(), r.rng)
	if err != nil || len(hit) != 5 {
		t.Errorf("after the scale the email consumers are %v (%v); want 5", hit, err)
	}
	r.Settle(ctx)
	r.Halt()
	slices.Sort(procs.removed)
	if want := []string{"consumer-email-3", "consumer-email-4", "consumer-email-5"}; !slices.Equal(procs.removed, want) {
		t.Errorf("removed %v after for, want %v", procs.removed, want)
	}
	pids := map[string]int{}
	for _, e := range journalEntries(t, &buf) {
		if e.Stage == StageDone {
			pids[e.Action+" "+e.Target] = e.PID
		}
		if e.Action == "scale" && e.Group != "email" {
			t.Errorf("journal %+v: want the group", e)
		}
	}
	for _, w := range added {
		if pids["scale "+w.Name] != w.PID || pids["stop "+w.Name] != w.PID {
			t.Errorf("journal PIDs %v: want %s's, %d, on its scale and its stop", pids, w.Name, w.PID)
		}
	}
}

func TestWorkersAddedToStayOutliveTheHalt(t *testing.T) {
	procs := newScalingProcs()
	var buf bytes.Buffer
	start := time.Now()
	r := NewRunner(procs, NewJournal(&buf, start), 1)
	r.Run(t.Context(), start, []Event{{Fault: Scale{Stays: true}, Select: Additions{Role: "consumer", Group: "index", Count: 2}}})
	r.Halt()
	if len(procs.removed) != 0 || len(procs.Live()) != 7 {
		t.Errorf("after the halt %d live, removed %v; want 7 live, none removed", len(procs.Live()), procs.removed)
	}
	for _, e := range journalEntries(t, &buf) {
		if e.Action == "stop" {
			t.Errorf("journal %+v: nothing is stopped", e)
		}
	}
}

func TestAScaleOnProcessesThatCannotGrowFails(t *testing.T) {
	var buf bytes.Buffer
	start := time.Now()
	r := NewRunner(workers(), NewJournal(&buf, start), 1)
	r.Run(t.Context(), start, []Event{{Fault: Scale{}, Select: Additions{Role: "consumer", Group: "email"}}})
	r.Halt()
	entries := journalEntries(t, &buf)
	if r.Failures() != 1 || len(entries) != 1 || entries[0].Stage != StageFailed || entries[0].Target != "1 more consumers of group email" {
		t.Fatalf("journal %+v; want one failed entry naming what was asked", entries)
	}
	if _, _, err := (Scale{}).Inject(t.Context(), workers(), proc.Info{Name: "x"}); !errors.Is(err, ErrCannotScale) {
		t.Errorf("Inject: %v, want ErrCannotScale", err)
	}
}
