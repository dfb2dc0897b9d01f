package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/proc"
)

// The test binary doubles as a `loadgen target`: with KAFKADRILL_TEST_CHILD
// set it prints its READY line and waits for SIGTERM.
func TestMain(m *testing.M) {
	if os.Getenv("KAFKADRILL_TEST_CHILD") == "target" {
		terms := make(chan os.Signal, 1)
		signal.Notify(terms, syscall.SIGTERM)
		fmt.Println(proc.ReadyPrefix + " 127.0.0.1:1")
		select {
		case <-terms:
			os.Exit(0)
		case <-time.After(time.Minute):
			os.Exit(3)
		}
	}
	os.Exit(m.Run())
}

// startTargets starts n children named w1, w2, ... that behave like targets.
func startTargets(ctx context.Context, t *testing.T, ps *procs, n int) ([]*child, *strings.Builder) {
	t.Helper()
	t.Setenv("KAFKADRILL_TEST_CHILD", "target")
	log := &strings.Builder{}
	cfg := Config{Loadgen: os.Args[0], Out: t.TempDir(), Log: log}
	var cs []*child
	for i := 1; i <= n; i++ {
		c, err := ps.start(ctx, cfg, fmt.Sprintf("w%d", i))
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	return cs, log
}

// state is a process's state letter from /proc (R, S, T for stopped, ...).
func state(t *testing.T, pid int) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	return strings.Fields(s[strings.LastIndexByte(s, ')')+1:])[0]
}

func TestStopEndsAPausedChildWithSIGTERM(t *testing.T) {
	// A drill cut short while its consumers were paused: stop must end them
	// at once, not wait 15 s for the SIGKILL.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var ps procs
	cs, log := startTargets(ctx, t, &ps, 2)
	if err := (&signalFault{sig: syscall.SIGSTOP, victims: []string{"w1", "w2"}, ps: &ps, log: log}).inject(ctx); err != nil {
		t.Fatal(err)
	}
	ps.stop(log)
	for _, c := range cs {
		if code := c.cmd.ProcessState.ExitCode(); code != 0 {
			t.Errorf("%s exited %d; want 0, from its SIGTERM handler", c.name, code)
		}
	}
	if strings.Contains(log.String(), "SIGKILL") {
		t.Errorf("stop needed SIGKILL:\n%s", log)
	}
}

func TestPauseStopsTheVictimsAndUndoResumesThem(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var ps procs
	defer ps.stop(io.Discard)
	cs, log := startTargets(ctx, t, &ps, 3)
	f := &signalFault{sig: syscall.SIGSTOP, victims: []string{"w1", "w2"}, ps: &ps, log: log}
	if err := f.inject(ctx); err != nil {
		t.Fatal(err)
	}
	waitState := func(c *child, want string) {
		for state(t, c.cmd.Process.Pid) != want {
			select {
			case <-ctx.Done():
				t.Fatalf("%s: state %s, want %s", c.name, state(t, c.cmd.Process.Pid), want)
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	waitState(cs[0], "T")
	waitState(cs[1], "T")
	if s := state(t, cs[2].cmd.Process.Pid); s == "T" {
		t.Errorf("w3 was stopped too")
	}
	if err := f.undo(ctx); err != nil {
		t.Fatal(err)
	}
	waitState(cs[0], "S")
	waitState(cs[1], "S")
}

// recordingFault notes what was called, and fails inject if told to.
type recordingFault struct {
	injectErr error
	calls     []string
	undoCtx   error // the undo context's error when undo was called
}

func (f *recordingFault) inject(context.Context) error {
	f.calls = append(f.calls, "inject")
	return f.injectErr
}

func (f *recordingFault) undo(ctx context.Context) error {
	f.calls = append(f.calls, "undo")
	f.undoCtx = ctx.Err()
	return nil
}

func TestPlayUndoesTheFaultWhenCutShortOrHalfInjected(t *testing.T) {
	injectFailed := errors.New("broker down: exit 1")
	for _, tc := range []struct {
		name      string
		injectErr error
		cancel    bool // the drill is interrupted during the fault
		wantErr   error
	}{
		{name: "played out", wantErr: nil},
		{name: "interrupted", cancel: true, wantErr: context.Canceled},
		{name: "inject failed", injectErr: injectFailed, wantErr: injectFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			faultFor := time.Millisecond
			if tc.cancel {
				faultFor = time.Hour
				time.AfterFunc(10*time.Millisecond, cancel)
			}
			f := &recordingFault{injectErr: tc.injectErr}
			times, err := play(ctx, f, faultFor)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Errorf("play: %v; want %v", err, tc.wantErr)
			}
			if strings.Join(f.calls, ",") != "inject,undo" || f.undoCtx != nil {
				t.Errorf("calls %v, undo's context %v; want inject then undo, with a live context", f.calls, f.undoCtx)
			}
			if times.injected.IsZero() || times.undoing.Before(times.injected) || times.undone.Before(times.undoing) {
				t.Errorf("times %+v: want injected <= undoing <= undone", times)
			}
		})
	}
}

func TestASupervisedChildThatExitsOnItsOwnIsStartedAgainButNotAfterAKill(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var ps procs
	defer ps.stop(io.Discard)
	cs, log := startTargets(ctx, t, &ps, 1)
	cfg := Config{Loadgen: os.Args[0], Out: t.TempDir(), Log: log}
	ps.supervise(ctx, cfg, cs[0], nil)

	// It exits on its own (as a consumer does when it cannot produce a
	// completion): a new incarnation takes its name.
	cs[0].cmd.Process.Signal(syscall.SIGTERM)
	var next *child
	for next = ps.byName("w1"); next == cs[0]; next = ps.byName("w1") {
		select {
		case <-ctx.Done():
			t.Fatalf("w1 was not started again:\n%s", log)
		case <-time.After(50 * time.Millisecond):
		}
	}
	select {
	case <-next.up:
	case <-ctx.Done():
		t.Fatalf("w1's new incarnation never got ready")
	}
	// The drill kills it: that one stays dead.
	if err := (&signalFault{sig: syscall.SIGKILL, victims: []string{"w1"}, ps: &ps, log: log}).inject(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * restartDelay)
	if c := ps.byName("w1"); c != next {
		t.Errorf("w1 was started again after the drill killed it")
	}
	ps.stop(io.Discard)
	if got := ps.exitCounts(); len(got) != 1 || got["w1"] != 1 {
		t.Errorf("exits %v; want w1 once", got)
	}
}
