//go:build !linux || portable

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/cliargs"
)

func TestOffLinuxEveryCommandSaysInOneLineThatItRunsOnLinuxHosts(t *testing.T) {
	dir := t.TempDir()
	experiment, token := filepath.Join(dir, "exp.yaml"), filepath.Join(dir, "token")
	os.WriteFile(experiment, []byte("version: 1\nactions:\n  - select: pid=1\n    fault: pause\n"), 0o644)
	os.WriteFile(token, []byte(strings.Repeat("t", 40)), 0o600)
	journal := filepath.Join(dir, "journal.jsonl")
	for _, args := range [][]string{
		{"run", experiment, "--arm", "--journal", journal},
		{"kill", "--select", "pid=1", "--arm", "--journal", journal},
		{"pause", "--select", "pid=1", "--for", "1s", "--arm", "--journal", journal},
		{"ls", "--select", "pid=1"},
		{"serve", experiment, "--token-file", token, "--listen", "127.0.0.1:0", "--journal", journal},
	} {
		code, out := runCLI(t, args...)
		if code != cliargs.ExitCannotRun || !strings.HasPrefix(out, "the host agent runs on Linux hosts (this is ") || strings.Contains(out, "\n") {
			t.Errorf("chaos %s: exit %d, output %q; want exit %d and one line saying it runs on Linux hosts",
				strings.Join(args, " "), code, out, cliargs.ExitCannotRun)
		}
		if _, err := os.Stat(journal); err == nil {
			t.Fatalf("chaos %s wrote a journal off Linux", strings.Join(args, " "))
		}
	}
}
