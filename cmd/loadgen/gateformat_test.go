package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/gate"
)

func TestGateFormatJSON(t *testing.T) {
	dir := steadyBundle(t)
	tests := []struct {
		name      string
		threshold string
		code      int
		verdict   string
	}{
		// Every check holds: verdict pass, exit 0.
		{"passing", "sync.ok > 0", cliargs.ExitOK, "pass"},
		// A check fails: verdict fail, exit 99, and the check says why.
		{"failing", "sync.latency_ms.p99 < 0.001", cliargs.ExitThresholdFailed, "fail"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLIStreams(t, "gate", dir, "--threshold", tt.threshold, "--format", "json")
		var r gate.Report
		dec := json.NewDecoder(strings.NewReader(stdout))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("%s: stdout is not the report: %v\n%s\nstderr: %s", tt.name, err, stdout, stderr)
		}
		last := r.Checks[len(r.Checks)-1]
		if code != tt.code || r.Schema != gate.ReportSchema || r.Verdict != tt.verdict || !r.RunValid || last.Expr != tt.threshold ||
			last.Verdict != tt.verdict || last.Value == nil || len(r.Warnings) != 0 {
			t.Errorf("%s: exit %d, report %+v (last check %+v); want exit %d, verdict %s", tt.name, code, r, last, tt.code, tt.verdict)
		}
	}
	if code, _, stderr := runCLIStreams(t, "gate", dir, "--format", "yaml"); code != cliargs.ExitBadInput || !strings.Contains(stderr, "--format") {
		t.Errorf("--format yaml: exit %d, %q; want %d naming --format", code, stderr, cliargs.ExitBadInput)
	}
}

// The flags' variables are read: LOADGEN_FORMAT is gate's --format.
func TestGateReadsItsFormatFromTheEnvironment(t *testing.T) {
	t.Setenv("LOADGEN_FORMAT", "json")
	_, stdout, stderr := runCLIStreams(t, "gate", steadyBundle(t), "--threshold", "sync.ok > 0")
	var r gate.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil || r.Verdict != "pass" {
		t.Errorf("LOADGEN_FORMAT=json: %v, %q; stderr %s", err, stdout, stderr)
	}
}

// withBuild rewrites a bundle's summary.json as written by build b.
func withBuild(t *testing.T, dir string, b *bundle.Build) {
	t.Helper()
	s, err := bundle.ReadSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Run.Build = b
	f, err := os.Create(filepath.Join(dir, bundle.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Encode(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestGateWarnsWhenTheBaselineIsAnotherBuild(t *testing.T) {
	current, same, other := steadyBundle(t), steadyBundle(t), steadyBundle(t)
	build := bundle.Build{Version: "(devel)", Revision: "1111111", Go: "go1.26.8", OSArch: "linux/amd64"}
	withBuild(t, current, &build)
	withBuild(t, same, &build)
	otherBuild := build
	otherBuild.Revision = "2222222"
	withBuild(t, other, &otherBuild)

	code, stdout, stderr := runCLIStreams(t, "gate", current, "--baseline", other, "--format", "json")
	var r gate.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("exit %d: %v\n%s\n%s", code, err, stdout, stderr)
	}
	for _, out := range []string{stderr, strings.Join(r.Warnings, "\n")} {
		if !strings.Contains(out, "revision 1111111") || !strings.Contains(out, "revision 2222222") {
			t.Errorf("another build: warning %q names not both builds", out)
		}
	}
	if _, _, stderr := runCLIStreams(t, "gate", current, "--baseline", same); strings.Contains(stderr, "warning") {
		t.Errorf("the same build: warned %q", stderr)
	}
}
