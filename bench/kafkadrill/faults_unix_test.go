//go:build unix

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// state is a process's state letter from ps (R, S, T for stopped, ...).
func state(t *testing.T, pid int) string {
	t.Helper()
	out, err := exec.Command("ps", "-o", "stat=", "-p", strconv.Itoa(pid)).Output()
	if err != nil || len(strings.TrimSpace(string(out))) == 0 {
		t.Fatalf("ps -p %d: %q, %v", pid, out, err)
	}
	return strings.TrimSpace(string(out))[:1]
}

func TestStopEndsAPausedChildWithSIGTERM(t *testing.T) {
	// A drill cut short while its consumers were paused: stop must end them
	// at once, not wait stopGrace for the SIGKILL.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	ps, _, out := startTargets(ctx, t, 2)
	if err := (&pauseFault{victims: []string{"w1", "w2"}, ps: ps}).inject(ctx); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	ps.stop()
	if took := time.Since(began); took > stopGrace/2 {
		t.Errorf("stop took %v: the paused children needed SIGKILL", took)
	}
	for _, name := range []string{"w1", "w2"} {
		if b, err := os.ReadFile(filepath.Join(out, name+".log")); err != nil || !strings.Contains(string(b), stoppedBySIGTERM) {
			t.Errorf("%s's log %q (%v): want it stopped by its SIGTERM handler", name, b, err)
		}
	}
}

func TestPauseStopsTheVictimsAndUndoResumesThem(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	ps, _, _ := startTargets(ctx, t, 3)
	pids := []int{pid(ps, "w1"), pid(ps, "w2"), pid(ps, "w3")}
	f := &pauseFault{victims: []string{"w1", "w2"}, ps: ps}
	if err := f.inject(ctx); err != nil {
		t.Fatal(err)
	}
	waitState := func(pid int, stopped bool) {
		for (state(t, pid) == "T") != stopped {
			select {
			case <-ctx.Done():
				t.Fatalf("PID %d: state %s, want stopped %v", pid, state(t, pid), stopped)
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	waitState(pids[0], true)
	waitState(pids[1], true)
	if s := state(t, pids[2]); s == "T" {
		t.Errorf("w3 was stopped too")
	}
	if err := f.undo(ctx); err != nil {
		t.Fatal(err)
	}
	waitState(pids[0], false)
	waitState(pids[1], false)
}
