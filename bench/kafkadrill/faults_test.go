package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/proc"
)

// The test binary doubles as a `loadgen target`: with KAFKADRILL_TEST_CHILD
// set it prints its READY line and waits for SIGTERM, which it says it got
// on standard error (its log).
func TestMain(m *testing.M) {
	if os.Getenv("KAFKADRILL_TEST_CHILD") == "target" {
		proc.ExitWithParent() // as loadgen's main does
		terms := make(chan os.Signal, 1)
		signal.Notify(terms, syscall.SIGTERM)
		fmt.Println(proc.ReadyPrefix + " 127.0.0.1:1")
		select {
		case <-terms:
			fmt.Fprintln(os.Stderr, stoppedBySIGTERM)
			os.Exit(0)
		case <-time.After(time.Minute):
			os.Exit(3)
		}
	}
	os.Exit(m.Run())
}

const stoppedBySIGTERM = "stopped by SIGTERM"

// startTargets starts n children named w1, w2, ... that behave like
// targets; their logs go to out.
func startTargets(ctx context.Context, t *testing.T, n int) (ps *procs, log *strings.Builder, out string) {
	t.Helper()
	t.Setenv("KAFKADRILL_TEST_CHILD", "target")
	log = &strings.Builder{}
	out = t.TempDir()
	ps, err := newProcs(Config{Loadgen: os.Args[0], Out: out, Log: &lockedWriter{w: log}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ps.stop)
	for i := 1; i <= n; i++ {
		if _, err := ps.start(ctx, "consumer", fmt.Sprintf("w%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	return ps, log, out
}

// pid is name's PID while it runs, 0 otherwise.
func pid(ps *procs, name string) int {
	info, _ := ps.info(name)
	return info.PID
}

func TestKindRefusalRefusesPauseWhereNothingPauses(t *testing.T) {
	cannotPause := fmt.Errorf("pausing a process: %w on plan10", errors.ErrUnsupported)
	for _, tc := range []struct {
		kind        Kind
		cannotPause error
		refused     bool
	}{
		// Unix pauses: every kind runs.
		{PauseTwo, nil, false},
		// Windows does not: pause-two is refused, saying why.
		{PauseTwo, cannotPause, true},
		// The kinds that only kill or run commands run everywhere.
		{KillOne, cannotPause, false},
		{KillAll, cannotPause, false},
		{Broker, cannotPause, false},
	} {
		err := kindRefusal(tc.kind, tc.cannotPause)
		if tc.refused != (err != nil) || (err != nil && (!errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), "pause-two"))) {
			t.Errorf("%s, cannot pause %v: got %v, want refused %v, naming the kind and errors.ErrUnsupported", tc.kind, tc.cannotPause, err, tc.refused)
		}
	}
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
	ps, log, _ := startTargets(ctx, t, 1)
	first := pid(ps, "w1")
	ps.supervise("w1")

	// It exits on its own (as a consumer does when it cannot produce a
	// completion): a new incarnation takes its name.
	if err := ps.sup.Signal("w1", syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	next := pid(ps, "w1")
	for next == 0 || next == first {
		select {
		case <-ctx.Done():
			t.Fatalf("w1 was not started again:\n%s", log)
		case <-time.After(50 * time.Millisecond):
		}
		next = pid(ps, "w1")
	}
	// The drill kills it: that one stays dead.
	if err := (&killFault{victims: []string{"w1"}, ps: ps}).inject(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * restartDelay)
	if ps.running("w1") {
		t.Errorf("w1 was started again after the drill killed it:\n%s", log)
	}
	ps.stop()
	if got := ps.exitCounts(); len(got) != 1 || got["w1"] != 1 {
		t.Errorf("exits %v; want w1 once", got)
	}
}

func TestStopRestartsNothingAndEndsEveryChild(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	ps, _, out := startTargets(ctx, t, 2)
	ps.supervise("w1")
	ps.supervise("w2")
	done := make(chan struct{})
	go func() { ps.stop(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatal("stop did not return within 30 s")
	}
	if live := ps.sup.Live(); len(live) != 0 {
		t.Errorf("running after stop: %+v", live)
	}
	for _, name := range []string{"w1", "w2"} {
		if b, err := os.ReadFile(filepath.Join(out, name+".log")); err != nil || !strings.Contains(string(b), stoppedBySIGTERM) {
			t.Errorf("%s's log %q (%v): want it stopped by SIGTERM, once", name, b, err)
		}
	}
	if n := ps.exitCounts(); len(n) != 0 {
		t.Errorf("exits %v: stop's own ends counted as exits on their own", n)
	}
}
