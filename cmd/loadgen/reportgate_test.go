package main

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/cliargs"
)

// steadyBundle copies the recorded steady run (summary, sync log, timeline)
// into a directory of its own.
func steadyBundle(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{bundle.SummaryFile, bundle.SyncLog, bundle.TimelineFile} {
		data, err := os.ReadFile(filepath.Join("..", "..", "internal", "report", "testdata", "steady", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReportOfALogOfRandomBytesExitsOneNamingIt(t *testing.T) {
	dir := steadyBundle(t)
	random := make([]byte, 4096)
	rand.NewChaCha8([32]byte{9}).Read(random)
	if err := os.WriteFile(filepath.Join(dir, bundle.SyncLog), random, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"report", dir, "--format", "hgrm", "--log", "sync"},
		{"report", dir, "--format", "hgrm", "-o", t.TempDir()},
		{"report", dir, "--format", "html", "-o", filepath.Join(t.TempDir(), "r.html")},
	} {
		code, out := runCLI(t, args...)
		if code != cliargs.ExitCannotRun || !strings.Contains(out, "sync.hlog:1:") || strings.Contains(out, "Total count") {
			t.Errorf("%q: exit %d, output %q; want %d naming sync.hlog:1", args, code, out, cliargs.ExitCannotRun)
		}
	}
}

func TestReportHGRMMakesItsOutputDirectory(t *testing.T) {
	dir := steadyBundle(t)
	out := filepath.Join(t.TempDir(), "hgrm")
	if code, msg := runCLI(t, "report", dir, "--format", "hgrm", "-o", out); code != cliargs.ExitOK {
		t.Fatalf("exit %d: %s", code, msg)
	}
	if _, err := os.Stat(filepath.Join(out, "sync.hgrm")); err != nil {
		t.Errorf("-o %s: %v", out, err)
	}
	blocked := filepath.Join(dir, bundle.SummaryFile, "hgrm")
	code, msg := runCLI(t, "report", dir, "--format", "hgrm", "-o", blocked)
	if code != cliargs.ExitCannotRun || !strings.Contains(msg, blocked) {
		t.Errorf("-o under a file: exit %d, %q; want %d naming %s", code, msg, cliargs.ExitCannotRun, blocked)
	}
}

func TestGateRefusesABaselineOfAnotherSchema(t *testing.T) {
	current := steadyBundle(t)
	tests := []struct {
		name, schema, want string
	}{
		// A schema this loadgen does not read is named.
		{"another schema", `"loadgen.summary/v2"`, `"loadgen.summary/v2"`},
		// No schema at all.
		{"no schema", `""`, `schema ""`},
	}
	for _, tt := range tests {
		baseline := steadyBundle(t)
		summary := filepath.Join(baseline, bundle.SummaryFile)
		data, err := os.ReadFile(summary)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(summary, []byte(strings.Replace(string(data), `"`+bundle.Schema+`"`, tt.schema, 1)), 0o644)
		code, out := runCLI(t, "gate", current, "--baseline", baseline)
		if code != cliargs.ExitCannotRun || !strings.Contains(out, summary) || !strings.Contains(out, tt.want) {
			t.Errorf("%s: exit %d, %q; want %d naming %s and %s", tt.name, code, out, cliargs.ExitCannotRun, summary, tt.want)
		}
	}
}

func TestGateOnAnUnknownPhaseExitsTwo(t *testing.T) {
	code, out := runCLI(t, "gate", steadyBundle(t), "--threshold", "phases.nosuch.sync.ok > 0")
	if code != cliargs.ExitBadInput || !strings.Contains(out, "column 8") || !strings.Contains(out, "baseline, fault, recovery") {
		t.Errorf("exit %d, %q; want %d naming the column and the phases", code, out, cliargs.ExitBadInput)
	}
}

func TestGateRefusesABundleWhoseProfileIsInvalid(t *testing.T) {
	dir := steadyBundle(t)
	profile := filepath.Join(dir, bundle.ProfileFile)
	steady, err := os.ReadFile(filepath.Join("..", "..", "profiles", "steady.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, profile, want string
	}{
		// Not a profile at all: its stages are missing.
		{"no stages", "version: 1\n", profile + ":1: stages"},
		// A whole profile but for one threshold that does not parse.
		{"bad threshold", string(steady) + "\nthresholds: [\"sync.ok >\"]\n", "thresholds[0]"},
	}
	for _, tt := range tests {
		if err := os.WriteFile(profile, []byte(tt.profile), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out := runCLI(t, "gate", dir)
		if code != cliargs.ExitBadInput || !strings.Contains(out, tt.want) {
			t.Errorf("%s: exit %d, %q; want %d naming %s", tt.name, code, out, cliargs.ExitBadInput, tt.want)
		}
	}
}
