package chaos

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos/blast"
	"github.com/loadchaos/loadgen/internal/proc"
)

// fakeProcs is a set of processes that only exist as records: signals change
// their state, restarts give them a new PID.
type fakeProcs struct {
	mu      sync.Mutex
	procs   map[string]*proc.Info
	dead    map[string]bool
	signals []string
	nextPID int
}

func newFakeProcs(specs ...proc.Info) *fakeProcs {
	f := &fakeProcs{procs: map[string]*proc.Info{}, dead: map[string]bool{}, nextPID: 1000}
	for _, s := range specs {
		s.PID = f.nextPID
		f.nextPID++
		f.procs[s.Name] = &s
	}
	return f
}

func (f *fakeProcs) Live() []proc.Info {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []proc.Info
	for name, p := range f.procs {
		if !f.dead[name] {
			out = append(out, *p)
		}
	}
	return out
}

func (f *fakeProcs) Signal(name string, sig syscall.Signal) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.procs[name]
	if !ok || f.dead[name] {
		return fmt.Errorf("no process %s", name)
	}
	f.signals = append(f.signals, fmt.Sprintf("%s %s", name, sig))
	stop, cont, _ := stopSignals()
	switch {
	case sig == syscall.SIGKILL || sig == syscall.SIGTERM:
		f.dead[name] = true
	case sig == stop:
		p.Paused = true
	case sig == cont:
		p.Paused = false
	}
	return nil
}

func (f *fakeProcs) Restart(_ context.Context, name string) (proc.Info, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dead[name] = false
	f.procs[name].PID = f.nextPID
	f.nextPID++
	return *f.procs[name], nil
}

func workers() *fakeProcs {
	return newFakeProcs(
		proc.Info{Name: "backend-1", Role: "backend"}, proc.Info{Name: "backend-2", Role: "backend"},
		proc.Info{Name: "consumer-email-1", Role: "consumer", Group: "email"},
		proc.Info{Name: "consumer-email-2", Role: "consumer", Group: "email"},
		proc.Info{Name: "consumer-index-1", Role: "consumer", Group: "index"})
}

func journalEntries(t *testing.T, buf *bytes.Buffer) []Entry {
	t.Helper()
	var out []Entry
	lines := bufio.NewScanner(buf)
	for lines.Scan() {
		var e Entry
		if err := json.Unmarshal(lines.Bytes(), &e); err != nil {
			t.Fatalf("journal line %q: %v", lines.Text(), err)
		}
		out = append(out, e)
	}
	return out
}

func TestSelectorPicksTheBlastRadius(t *testing.T) {
	live := append(workers().Live(), proc.Info{Name: "broker", Role: proc.RoleBroker})
	rng := NewRunner(nil, nil, 1).rng
	tests := []struct {
		name string
		sel  Selector
		want int
	}{
		// Nothing said: one process.
		{"default one", Selector{Role: "consumer"}, 1},
		// A count.
		{"count", Selector{Role: "consumer", Radius: blast.Radius{Count: 2}}, 2},
		// A percentage rounds up: 50% of 3 consumers is 2.
		{"percent", Selector{Role: "consumer", Radius: blast.Radius{Percent: 50}}, 2},
		// All of one group.
		{"all of a group", Selector{Role: "consumer", Group: "email", Radius: blast.Radius{All: true}}, 2},
		// All workers, both roles, never the broker.
		{"all workers", Selector{Radius: blast.Radius{All: true}}, 5},
		// The broker only by name.
		{"the broker", Selector{Role: proc.RoleBroker, Radius: blast.Radius{All: true}}, 1},
		// A count larger than the matches takes what there is.
		{"count beyond matches", Selector{Role: "backend", Radius: blast.Radius{Count: 9}}, 2},
	}
	for _, tt := range tests {
		got, err := tt.sel.Pick(live, rng)
		if err != nil || len(got) != tt.want {
			t.Errorf("%s: picked %d (%v), want %d", tt.name, len(got), err, tt.want)
		}
		for _, p := range got {
			if !tt.sel.hasRole(p.Role) || (tt.sel.Role == "" && p.Role == proc.RoleBroker) || (tt.sel.Group != "" && p.Group != tt.sel.Group) {
				t.Errorf("%s: picked %s outside the selector", tt.name, p.Name)
			}
		}
	}
	if _, err := (Selector{Role: "consumer", Group: "nosuch"}).Pick(live, rng); err == nil {
		t.Error("a selector matching nothing was accepted")
	}
}

func TestRunnerJournalsIntentBeforeActingAndUndoesAfterFor(t *testing.T) {
	procs := workers()
	var buf bytes.Buffer
	start := time.Now()
	r := NewRunner(procs, NewJournal(&buf, start), 1)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	r.Run(ctx, start, []Event{
		{At: 20 * time.Millisecond, Fault: Signal{Sig: syscall.SIGKILL}, Select: Selector{Role: "consumer", Group: "email"}, For: 30 * time.Millisecond},
		{At: 10 * time.Millisecond, Fault: Pause{}, Select: Selector{Role: "backend", Radius: blast.Radius{All: true}}, For: 10 * time.Millisecond},
	})
	r.Halt()
	entries := journalEntries(t, &buf)
	counts := map[string]int{}
	for _, e := range entries {
		counts[e.Action+" "+e.Stage]++
	}
	// Both backends paused at 10 ms and resumed at 20 ms; one email consumer
	// killed at 20 ms and restarted at 50 ms.
	want := map[string]int{"pause intent": 2, "pause done": 2, "resume intent": 2, "resume done": 2,
		"kill intent": 1, "kill done": 1, "restart intent": 1, "restart done": 1}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Fatalf("journal %v, want %v", counts, want)
	}
	intended := map[string]bool{}
	for i, e := range entries {
		key := e.Action + " " + e.Target
		switch e.Stage {
		case "intent":
			intended[key] = true
		case "done":
			if !intended[key] {
				t.Fatalf("entry %d (%s) has no intent written before it", i, key)
			}
		}
	}
	injected := r.Injected()
	if len(injected) != 2 || injected[0].Action != "pause" || len(injected[0].Targets) != 2 || injected[1].TS < 0.02 {
		t.Fatalf("injected %+v", injected)
	}
	if live := procs.Live(); len(live) != 5 {
		t.Fatalf("%d processes live after the undos, want 5", len(live))
	}
}

func TestHaltUndoesAtOnceAndStopsTheSchedule(t *testing.T) {
	procs := workers()
	var buf bytes.Buffer
	start := time.Now()
	r := NewRunner(procs, NewJournal(&buf, start), 1)
	done := make(chan struct{})
	go func() {
		r.Run(t.Context(), start, []Event{
			{At: 0, Fault: Pause{}, Select: Selector{Radius: blast.Radius{All: true}}, For: time.Hour},
			{At: time.Hour, Fault: Signal{Sig: syscall.SIGKILL}, Select: Selector{Radius: blast.Radius{All: true}}},
		})
		close(done)
	}()
	deadline := time.After(5 * time.Second)
	for len(r.Injected()) == 0 {
		select {
		case <-deadline:
			t.Fatal("the first event never ran")
		case <-time.After(time.Millisecond):
		}
	}
	r.Halt()
	r.Halt() // idempotent
	select {
	case <-done:
	case <-deadline:
		t.Fatal("Run did not return after Halt")
	}
	for _, p := range procs.Live() {
		if p.Paused {
			t.Fatalf("%s still paused after Halt", p.Name)
		}
	}
	if len(r.Injected()) != 1 {
		t.Fatal("an event after the halt was injected")
	}
}

func TestAnEventThatMatchesNothingIsJournaledAsFailed(t *testing.T) {
	var buf bytes.Buffer
	start := time.Now()
	r := NewRunner(workers(), NewJournal(&buf, start), 1)
	r.Run(t.Context(), start, []Event{{Fault: Pause{}, Select: Selector{Group: "nosuch"}}})
	r.Halt()
	entries := journalEntries(t, &buf)
	if len(entries) != 1 || entries[0].Stage != "failed" || entries[0].Error == "" {
		t.Fatalf("journal %+v, want one failed entry", entries)
	}
}
