//go:build linux && !portable

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/cliargs"
)

func TestRefusalsExitOne(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		// PID 1 is protected: ls says why, and exits 1.
		{"ls pid 1", []string{"ls", "--select", "pid=1"}, "PID 1 (init)"},
		// The agent's parent is protected, also in a dry run.
		{"kill the parent", []string{"kill", "--select", fmt.Sprintf("pid=%d", os.Getppid()), "--journal", filepath.Join(dir, "j1")}, "the agent's parent"},
		// A selector matching nothing is refused.
		{"nothing", []string{"kill", "--select", "cmdline=^no such process anywhere$", "--journal", filepath.Join(dir, "j2")}, "matches no live process"},
		// An experiment file that is not there.
		{"missing experiment", []string{"run", filepath.Join(dir, "missing.yaml")}, "no such file"},
	}
	for _, tt := range tests {
		code, out := runCLI(t, tt.args...)
		if code != cliargs.ExitCannotRun || !strings.Contains(out, tt.want) {
			t.Errorf("%s: exit %d, want %d with %q; output:\n%s", tt.name, code, cliargs.ExitCannotRun, tt.want, out)
		}
	}
}

func TestFlagsComeFromTheEnvironment(t *testing.T) {
	t.Setenv("CHAOS_SELECT", "pid=1")
	t.Setenv("CHAOS_MAX_MATCHES", "0")
	if code, out := runCLI(t, "ls"); code != cliargs.ExitBadInput || !strings.Contains(out, "--max-matches 0") {
		t.Fatalf("exit %d, output %q: want CHAOS_MAX_MATCHES read and refused", code, out)
	}
	t.Setenv("CHAOS_MAX_MATCHES", "3")
	if code, out := runCLI(t, "ls"); code != cliargs.ExitCannotRun || !strings.Contains(out, "selector: pid=1") {
		t.Fatalf("exit %d, output %q: want CHAOS_SELECT read", code, out)
	}
}
