package main

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/testkit"
)

// runPiped runs bin with args, its standard output and error each a pipe
// (not a terminal, as in CI), and returns what each got.
func runPiped(t *testing.T, bin string, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 97 { // 97: a busy machine fell behind
			t.Fatalf("loadgen %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
		}
	}
	return out.String(), errOut.String()
}

var progressLine = regexp.MustCompile(`(?m)^ *\d+s/\d+s \| sync offered \d+/s done \d+/s`)

// Not on a terminal, as in CI: progress comes as plain lines on standard
// error, never rewritten in place, with no escape sequence at all (nothing
// prints color, so NO_COLOR has nothing to turn off); standard output holds
// the one summary and the bundle's path; -q leaves only the path.
func TestARunOnPipesPrintsPlainLinesAndOneSummary(t *testing.T) {
	bin := testkit.BuildCommand(t, "loadgen", "")
	url, _ := serveCounting(t)
	out := t.TempDir()
	stdout, stderr := runPiped(t, bin, "run", "steady", "--sync-url", url, "--rate", "20", "--duration", "6s", "--out", out)
	for name, text := range map[string]string{"stdout": stdout, "stderr": stderr} {
		if strings.ContainsAny(text, "\r\x1b") {
			t.Errorf("%s holds a carriage return or an escape sequence: %q", name, text)
		}
	}
	if !progressLine.MatchString(stderr) {
		t.Errorf("stderr has no progress line:\n%s", stderr)
	}
	if progressLine.MatchString(stdout) {
		t.Errorf("progress on stdout:\n%s", stdout)
	}
	if n := strings.Count(stdout, "profile steady  seed"); n != 1 || strings.Count(stdout, "bundle: ") != 1 {
		t.Errorf("stdout holds %d summaries, want one and the bundle's path:\n%s", n, stdout)
	}

	// summary.json records the build that ran, as --version says it.
	s, err := bundle.ReadSummary(filepath.Join(out, "latest"))
	if err != nil {
		t.Fatal(err)
	}
	version, _ := runPiped(t, bin, "--version")
	if b := s.Run.Build; b == nil || !strings.Contains(version, b.Version+" (revision "+b.Revision) || !strings.HasSuffix(strings.TrimSpace(version), b.Go+" "+b.OSArch) {
		t.Errorf("run.build %+v, --version %q", s.Run.Build, version)
	}

	stdout, stderr = runPiped(t, bin, "run", "steady", "--sync-url", url, "--rate", "20", "--duration", "1s", "--out", out, "-q")
	if !regexp.MustCompile(`^bundle: \S+\n$`).MatchString(stdout) || stderr != "" {
		t.Errorf("-q: stdout %q, stderr %q; want the bundle's path alone", stdout, stderr)
	}
}
