package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/sweep"
	"github.com/loadchaos/loadgen/internal/testkit"
)

// tinyProfile is a profile of a few seconds on the smallest embedded drill.
const tinyProfile = `version: 1
name: tiny
stages:
  - {shape: constant, rate: 20, for: 3s}
http:
  method: POST
  path: /work
  body: '{"id":"{{id}}"}'
environment:
  work: {service: "fixed:5ms", concurrency: 2}
  backends: 1
  drain: 10s
  groups:
    - {name: workers, consumers: 1}
limits:
  max_late_ratio: 1 # these tests check the sweep, not the machine: a busy one sends late
thresholds:
  - async.lost == 0
`

func writeTiny(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tiny.yaml")
	if err := os.WriteFile(path, []byte(tinyProfile), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestASweepRunsAPointPerValueAndGateChecksEachPoint(t *testing.T) {
	bin := testkit.BuildCommand(t, "loadgen", "")
	out := t.TempDir()
	code, printed := runBinary(t, bin, 3*time.Minute, "sweep", writeTiny(t), "-q", "--out", out,
		"--vary", "environment.session_timeout=6s,10s", "--outcome", "async.lost", "--outcome", "sync.latency_ms.p99")
	if code != 0 {
		t.Fatalf("sweep exited %d:\n%s", code, printed)
	}
	dir := filepath.Join(out, "latest")
	f, err := sweep.ReadFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	if f.Partial || len(f.Points) != 2 || f.Params[0].Path != "environment.session_timeout" {
		t.Fatalf("sweep.json: partial %v, %d points, params %+v; want 2 points of environment.session_timeout", f.Partial, len(f.Points), f.Params)
	}
	for i, p := range f.Points {
		if want := f.Params[0].Values[i]; p.Values[0] != want {
			t.Errorf("point %d: values %v, want [%s]", i, p.Values, want)
		}
		if p.Error != "" || !p.Valid || !p.ThresholdsOK {
			t.Errorf("point %d: error %q, valid %v, thresholds ok %v", i, p.Error, p.Valid, p.ThresholdsOK)
		}
		if _, err := os.Stat(filepath.Join(dir, p.Bundle, "summary.json")); err != nil {
			t.Errorf("point %d: its bundle: %v", i, err)
		}
		if lost := p.Outcomes["async.lost"]; lost == nil || *lost != 0 {
			t.Errorf("point %d: async.lost %v, want 0", i, lost)
		}
		if p99 := p.Outcomes["sync.latency_ms.p99"]; p99 == nil || *p99 <= 0 {
			t.Errorf("point %d: sync.latency_ms.p99 %v, want a latency", i, p99)
		}
	}
	page, err := os.ReadFile(filepath.Join(dir, sweep.HTMLName))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"kind":"sweep"`, `"x_label":"environment.session_timeout (s)"`, `id="chart-outcome-1"`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("sweep.html lacks %s", want)
		}
	}

	code, printed = runBinary(t, bin, time.Minute, "gate", dir, "--threshold", "sync.latency_ms.p99 < 60000")
	if code != 0 || strings.Count(printed, "point environment.session_timeout=") != 2 {
		t.Errorf("gate on the sweep exited %d, want 0 with a table per point:\n%s", code, printed)
	}
	code, printed = runBinary(t, bin, time.Minute, "gate", dir, "--threshold", "sync.sent < 0")
	if code != cliargs.ExitThresholdFailed {
		t.Errorf("gate with a threshold no point holds exited %d, want 99:\n%s", code, printed)
	}
	code, printed = runBinary(t, bin, time.Minute, "gate", dir, "--format", "json")
	if code != 0 || !strings.Contains(printed, `"schema": "loadgen.gate.sweep/v1"`) {
		t.Errorf("gate --format json exited %d:\n%s", code, printed)
	}
}

func TestASweepWithABadSettingRunsNothingAndExitsTwo(t *testing.T) {
	bin := testkit.BuildCommand(t, "loadgen", "")
	profile := writeTiny(t)
	tests := []struct {
		vary, want string
	}{
		{"environment.sesion_timeout=6s,10s", "unknown field"},              // a path the profile does not have
		{"environment.session_timeout=6s,soon", `"soon" is not a duration`}, // a bad value
		{"environment.chain=1,9", "must be from 1 to 5"},                    // a value out of bounds
		{"stages.rate=1,2", "stages[0]"},                                    // a list needs an item
		{"environment.chain", "PATH=VALUE"},                                 // no values
	}
	for _, tt := range tests {
		out := t.TempDir()
		code, printed := runBinary(t, bin, time.Minute, "sweep", profile, "--out", out, "--vary", tt.vary)
		if code != cliargs.ExitBadInput || !strings.Contains(printed, tt.want) || !strings.Contains(printed, "--vary") {
			t.Errorf("--vary %s: exit %d, want 2 with %q naming --vary:\n%s", tt.vary, code, tt.want, printed)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("--vary %s: the sweep wrote %d entries before refusing", tt.vary, len(entries))
		}
	}
}

func TestAnInterruptedSweepWritesWhatItHasMarkedPartial(t *testing.T) {
	bin := testkit.BuildCommand(t, "loadgen", "")
	out := t.TempDir()
	cmd := exec.CommandContext(t.Context(), bin, "sweep", writeTiny(t), "-q", "--out", out, "--vary", "environment.session_timeout=6s,8s,10s")
	var printed bytes.Buffer
	cmd.Stdout, cmd.Stderr = &printed, &printed
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	time.Sleep(4 * time.Second) // into the first point's load
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-done:
	case <-time.After(90 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the sweep did not end 90 s after SIGINT:\n%s", printed.String())
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("exit %v, want 1:\n%s", err, printed.String())
	}
	f, err := sweep.ReadFile(filepath.Join(out, "latest"))
	if err != nil {
		t.Fatalf("%v\n%s", err, printed.String())
	}
	if !f.Partial || len(f.Points) == 0 || len(f.Points) == 3 {
		t.Errorf("sweep.json: partial %v with %d of 3 points; want partial with some", f.Partial, len(f.Points))
	}
}

func TestTheSweepsExitSaysTheWorstOfItsPoints(t *testing.T) {
	ok := sweep.Point{Valid: true, ThresholdsOK: true}
	failed := sweep.Point{Valid: true}
	invalid := sweep.Point{ThresholdsOK: true}
	notRun := sweep.Point{Error: "could not start"}
	tests := []struct {
		name string
		f    sweep.File
		want int
	}{
		{"every point held", sweep.File{Points: []sweep.Point{ok, ok}}, 0},
		{"a threshold failed", sweep.File{Points: []sweep.Point{ok, failed}}, cliargs.ExitThresholdFailed},
		{"an invalid run outranks a failed threshold", sweep.File{Points: []sweep.Point{failed, invalid}}, cliargs.ExitInvalidRun},
		{"a point that did not run outranks the rest", sweep.File{Points: []sweep.Point{invalid, notRun, ok}}, 1},
		{"an interrupted sweep", sweep.File{Partial: true, Points: []sweep.Point{ok}}, 1},
	}
	for _, tt := range tests {
		err := sweepExit(&tt.f)
		code := 0
		var exit *cliargs.ExitError
		switch {
		case errors.As(err, &exit):
			code = exit.Code
		case err != nil:
			code = 1
		}
		if code != tt.want {
			t.Errorf("%s: exit %d (%v), want %d", tt.name, code, err, tt.want)
		}
	}
}
