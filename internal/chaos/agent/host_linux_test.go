//go:build linux && !portable

package agent

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/chaos/blast"
	"github.com/loadchaos/loadgen/internal/testkit"
)

// threeSleepers starts a, b and c of one program no other process runs.
func threeSleepers(t *testing.T) (a, b, c *sleeper, exe string) {
	t.Helper()
	exe = uniqueName(t)
	path := program(t, exe)
	return spawn(t, path, "a"), spawn(t, path, "b"), spawn(t, path, "c"), exe
}

// inject fires one action now on the host with an armed runner and
// returns the journal; it halts the runner when the test ends.
func inject(t *testing.T, a Action, opts ...chaos.RunnerOption) (*chaos.Runner, *testkit.Buffer, chaos.Injected, error) {
	t.Helper()
	host := NewHost()
	journal := &testkit.Buffer{}
	r := chaos.NewRunner(host, chaos.NewJournal(journal, time.Now()), 1, opts...)
	t.Cleanup(func() {
		r.Halt()
		if err := host.Close(); err != nil {
			t.Error(err)
		}
	})
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	injected, err := r.Trigger(ctx, a.event(host, 0))
	return r, journal, injected, err
}

func TestEachFaultHitsExactlyWhatTheSelectorNames(t *testing.T) {
	tests := []struct {
		name  string
		fault func(t *testing.T, dir string) chaos.Fault
		// hit checks the process hit; spared checks each other one.
		hit func(t *testing.T, s *sleeper, dir string)
	}{
		// SIGKILL ends the process.
		{"kill", func(*testing.T, string) chaos.Fault { return Signal{Sig: syscall.SIGKILL} },
			func(t *testing.T, s *sleeper, _ string) { s.waitState(t, 0) }},
		// Any signal: the process reports the SIGUSR1 it caught.
		{"signal", func(*testing.T, string) chaos.Fault { return Signal{Sig: syscall.SIGUSR1} },
			func(t *testing.T, s *sleeper, _ string) { waitOutput(t, s, "GOT user defined signal 1") }},
		// SIGSTOP stops it; the undo (here at the halt, in cleanup) resumes it.
		{"pause", func(*testing.T, string) chaos.Fault { return chaos.Pause{} },
			func(t *testing.T, s *sleeper, _ string) { s.waitState(t, 'T') }},
		// restart: SIGTERM, wait for the exit, then the command (at the halt) with the target filled in.
		{"restart", func(t *testing.T, dir string) chaos.Fault {
			cmd, err := ParseCommand("sh -c 'echo {{.PID}} > "+filepath.Join(dir, "restarted")+"'", time.Second*5)
			if err != nil {
				t.Fatal(err)
			}
			return Restart{Command: cmd}
		}, func(t *testing.T, s *sleeper, _ string) { s.waitState(t, 0) }},
		// exec runs once per target with the target filled in.
		{"exec", func(t *testing.T, dir string) chaos.Fault {
			cmd, err := ParseCommand("sh -c 'echo {{.PID}} >> "+filepath.Join(dir, "exec")+"'", time.Second*5)
			if err != nil {
				t.Fatal(err)
			}
			return Exec{Command: cmd}
		}, func(t *testing.T, s *sleeper, dir string) {
			if data, _ := os.ReadFile(filepath.Join(dir, "exec")); strings.TrimSpace(string(data)) != strconv.Itoa(s.PID) {
				t.Fatalf("exec ran for %q, want pid %d only", data, s.PID)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b, c, exe := threeSleepers(t)
			dir := t.TempDir()
			_, journal, injected, err := inject(t, Action{Name: tt.name, Fault: tt.fault(t, dir),
				Select: &HostPick{Select: mustSelect(t, "exe="+exe+",cmdline= b$")}})
			if err != nil {
				t.Fatalf("%v\njournal:\n%s", err, journal)
			}
			if len(injected.Targets) != 1 || injected.Targets[0].PID != b.PID {
				t.Fatalf("hit %+v, want only pid %d", injected.Targets, b.PID)
			}
			tt.hit(t, b, dir)
			for _, s := range []*sleeper{a, c} {
				if !s.running() || strings.Contains(s.output(), "GOT") {
					t.Fatalf("pid %d, not selected, was hit: state %q, output %q", s.PID, s.state(), s.output())
				}
			}
		})
	}
}

func waitOutput(t *testing.T, s *sleeper, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(s.output(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("pid %d said %q, want %q", s.PID, s.output(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRestartRunsItsCommandWhenTheFaultEnds(t *testing.T) {
	a, _, _, exe := threeSleepers(t)
	marker := filepath.Join(t.TempDir(), "restarted")
	cmd, err := ParseCommand("sh -c 'echo {{.Name}} {{.PID}} > "+marker+"'", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	r, journal, _, err := inject(t, Action{Name: "bounce", Fault: Restart{Sig: syscall.SIGTERM, Command: cmd},
		Select: &HostPick{Select: mustSelect(t, "exe="+exe+",cmdline= a$")}, For: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	r.Settle(ctx)
	a.waitState(t, 0)
	want := exe + "@" + strconv.Itoa(a.PID) + " " + strconv.Itoa(a.PID)
	if data, _ := os.ReadFile(marker); strings.TrimSpace(string(data)) != want {
		t.Fatalf("the restart command wrote %q, want %q", data, want)
	}
	var restarted bool
	for _, e := range entriesOf(t, journal) {
		restarted = restarted || (e.Action == "restart" && e.Stage == chaos.StageDone && strings.Contains(e.Command, "sh -c echo"))
	}
	if !restarted {
		t.Fatalf("no restart done in the journal:\n%s", journal)
	}
}

func TestExecWithoutASelectorRunsOnceAndJournalsItsOutput(t *testing.T) {
	cmd, err := ParseCommand(`echo deleting pod {{.Name}}`, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_, journal, injected, err := inject(t, Action{Name: "delete-pod", Fault: Exec{Command: cmd}})
	if err != nil || len(injected.Targets) != 1 {
		t.Fatalf("injected %+v: %v", injected, err)
	}
	entries := entriesOf(t, journal)
	last := entries[len(entries)-1]
	if last.Stage != chaos.StageDone || last.Output != "deleting pod delete-pod" || last.Command != "echo deleting pod delete-pod" {
		t.Fatalf("journal entry %+v: want the command and its output", last)
	}
}

func TestDisarmedSignalsNothingAndJournalsDryRun(t *testing.T) {
	a, b, c, exe := threeSleepers(t)
	host := NewHost()
	journal := &testkit.Buffer{}
	r := chaos.NewRunner(host, chaos.NewJournal(journal, time.Now()), 1, chaos.Disarmed())
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	pick := HostPick{Select: mustSelect(t, "exe="+exe), Radius: blast.Radius{Count: 2}}
	r.Run(ctx, time.Now(), []chaos.Event{
		{Name: "kill", Fault: Signal{Sig: syscall.SIGKILL}, Select: host.picker(pick)},
		{Name: "pause", Fault: chaos.Pause{}, Select: host.picker(pick), For: time.Hour},
		{Name: "usr1", Fault: Signal{Sig: syscall.SIGUSR1}, Select: host.picker(pick)},
	})
	r.Halt()
	if err := host.Close(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // time for a signal, had one been sent, to land
	for _, s := range []*sleeper{a, b, c} {
		if !s.running() || strings.Contains(s.output(), "GOT") {
			t.Fatalf("pid %d was signalled by a dry run: state %q, output %q", s.PID, s.state(), s.output())
		}
	}
	entries := entriesOf(t, journal)
	if len(entries) != 3*2*2 {
		t.Fatalf("%d journal entries, want an intent and a done for 2 targets of 3 events:\n%s", len(entries), journal)
	}
	for _, e := range entries {
		if !e.DryRun || e.Error != "" {
			t.Fatalf("entry %+v: want dry_run and no error", e)
		}
	}
	if host.watchdogPID() != 0 {
		t.Fatal("a dry run started a watchdog")
	}
}

func TestAReusedPIDIsRefused(t *testing.T) {
	a, _, _, exe := threeSleepers(t)
	host := NewHost()
	defer host.Close()
	picked, err := host.picker(HostPick{Select: mustSelect(t, "exe="+exe+",cmdline= a$")}).Targets(host, testRand())
	if err != nil || len(picked) != 1 {
		t.Fatalf("picked %+v: %v", picked, err)
	}
	// Same number, other start time: as if a picked process had exited and
	// its PID been given to a newer one.
	host.mu.Lock()
	p := host.known[picked[0].Name]
	p.StartTime++
	host.known[picked[0].Name] = p
	host.mu.Unlock()
	if err := host.Signal(picked[0].Name, syscall.SIGKILL); !errors.Is(err, ErrReused) {
		t.Fatalf("signal to a reused PID: %v, want ErrReused", err)
	}
	if err := signalSame(a.PID, a.StartTime+1, syscall.SIGKILL); !errors.Is(err, ErrReused) {
		t.Fatalf("signalSame with another start time: %v, want ErrReused", err)
	}
	time.Sleep(50 * time.Millisecond)
	if !a.running() {
		t.Fatal("the process was killed through a reused PID")
	}
}

func TestHaltResumesEveryPausedProcess(t *testing.T) {
	a, b, c, exe := threeSleepers(t)
	r, _, injected, err := inject(t, Action{Name: "freeze", Fault: chaos.Pause{},
		Select: &HostPick{Select: mustSelect(t, "exe="+exe), Radius: blast.Radius{Count: 2}}, For: time.Hour})
	if err != nil || len(injected.Targets) != 2 {
		t.Fatalf("injected %+v: %v", injected, err)
	}
	paused := map[int]bool{}
	for _, target := range injected.Targets {
		paused[target.PID] = true
	}
	for _, s := range []*sleeper{a, b, c} {
		if paused[s.PID] {
			s.waitState(t, 'T')
		}
	}
	r.Halt()
	r.Halt() // idempotent
	for _, s := range []*sleeper{a, b, c} {
		if !s.running() {
			t.Fatalf("pid %d in state %q after the halt", s.PID, s.state())
		}
	}
}

func TestPausedProcessesResumeWhenTheAgentIsKilled(t *testing.T) {
	exe := uniqueName(t)
	target := spawn(t, program(t, exe), "target")
	agent := spawnAs(t, program(t, exe+"-agent"), "agent", strconv.Itoa(target.PID))
	target.waitState(t, 'T')
	if err := syscall.Kill(agent.PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	agent.waitState(t, 0)
	target.waitState(t, 'S') // the watchdog resumed it
}
