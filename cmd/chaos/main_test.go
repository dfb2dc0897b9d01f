package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos/agent"
	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/testkit"
)

// The test binary doubles as the processes the tests signal, and as the
// watchdog of the agents the tests run in-process.
func TestMain(m *testing.M) {
	if agent.IsWatchdog() {
		if err := agent.RunWatchdog(os.Stdin, os.Stdout, os.Stderr); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	if os.Getenv("CHAOS_TEST_SLEEPER") == "1" {
		signal.Ignore(syscall.SIGHUP)
		fmt.Println("READY")
		time.Sleep(2 * time.Minute)
		os.Exit(0)
	}
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// runCLI runs chaos in-process with args and returns its exit code and
// what it printed.
func runCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	app := newApp()
	app.Writer, app.ErrWriter = &out, &out
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	err := app.RunContext(ctx, cliargs.FlagsFirst(app, append([]string{"chaos"}, args...)))
	if err != nil {
		out.WriteString(err.Error())
	}
	return cliargs.ExitCode(err), out.String()
}

// The safety rules are said once, in chaos --help; each command's help
// points there instead of repeating them.
func TestTheSafetyRulesAreSaidOnce(t *testing.T) {
	rules := []string{"Disarmed by default", "never signals PID 1", "does not take down the last live member", "a watchdog child", "It stops at a deadline"}
	code, out := runCLI(t, "--help")
	for _, rule := range rules {
		if n := strings.Count(out, rule); n != 1 || code != cliargs.ExitOK {
			t.Errorf("chaos --help: exit %d, %q %d times, want once:\n%s", code, rule, n, out)
		}
	}
	for _, cmd := range []string{"run", "kill", "pause", "ls", "serve"} {
		code, out := runCLI(t, cmd, "--help")
		if code != cliargs.ExitOK || !strings.Contains(out, "safety rules: see chaos --help") {
			t.Errorf("chaos %s --help: exit %d, no pointer to chaos --help:\n%s", cmd, code, out)
		}
		for _, rule := range rules {
			if strings.Contains(out, rule) {
				t.Errorf("chaos %s --help repeats %q", cmd, rule)
			}
		}
	}
}

// Every flag of every command: its CHAOS_* variable, a named value and one
// default in its help.
func TestEveryFlagHasItsVariableAndAPlainHelp(t *testing.T) {
	testkit.CheckFlags(t, newApp(), "CHAOS_")
}

func TestVersion(t *testing.T) {
	code, out := runCLI(t, "--version")
	if code != cliargs.ExitOK || !strings.HasPrefix(out, "chaos version ") || !strings.Contains(out, "(revision ") ||
		!strings.Contains(out, runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH) {
		t.Errorf("chaos --version: exit %d, %q; want the version, the revision, the Go version and the platform", code, out)
	}
}

func TestBadInputExitsTwo(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("version: 1\nactions:\n  - select: \"exe=x\"\n    fault: smash\n"), 0o644)
	taken := filepath.Join(dir, "taken.jsonl")
	os.WriteFile(taken, nil, 0o644)
	tests := []struct {
		name string
		args []string
		want string // a part of the output
	}{
		// A flag chaos does not have.
		{"unknown flag", []string{"kill", "--select", "pid=1", "--no-such-flag"}, "no-such-flag"},
		// A selector with an unknown key.
		{"bad selector", []string{"ls", "--select", "cmd=loadgen"}, `unknown key "cmd"`},
		// An invalid experiment names file and line.
		{"bad experiment", []string{"run", bad}, bad + ":4: actions[0].fault"},
		// An experiment that does not exist... is an I/O problem: see TestRefusalsExitOne.
		// Two blast radii.
		{"two radii", []string{"kill", "--select", "pid=1", "--count", "2", "--all"}, "--count: give one of count, percent and all"},
		// A radius out of its range.
		{"percent above 100", []string{"kill", "--select", "pid=1", "--percent", "150"}, "--percent: 150 is not a percentage above 0 up to 100"},
		// pause needs --for.
		{"pause without for", []string{"pause", "--select", "pid=1"}, "for"},
		// A journal is never overwritten.
		{"journal exists", []string{"kill", "--select", "pid=1", "--journal", taken}, "never overwritten"},
		// SIGSTOP belongs to pause.
		{"kill with SIGSTOP", []string{"kill", "--select", "pid=1", "--signal", "STOP"}, "chaos pause"},
		// serve refuses to start without a token file.
		{"serve without token", []string{"serve", "--listen", "127.0.0.1:0"}, "--token-file is required"},
	}
	for _, tt := range tests {
		code, out := runCLI(t, tt.args...)
		if code != cliargs.ExitBadInput || !strings.Contains(out, tt.want) {
			t.Errorf("%s: exit %d, want %d with %q; output:\n%s", tt.name, code, cliargs.ExitBadInput, tt.want, out)
		}
	}
}

// binDir holds the loadgen and chaos binaries, each built once for the
// package; binBuilt maps a command's name to its binary there.
var (
	binDir   string
	binMu    sync.Mutex
	binBuilt = map[string]string{}
)

// binary builds cmd/NAME (chaos or loadgen) once and returns its path.
func binary(t *testing.T, name string) string {
	t.Helper()
	binMu.Lock()
	defer binMu.Unlock()
	if path, ok := binBuilt[name]; ok {
		return path
	}
	if binDir == "" {
		var err error
		if binDir, err = os.MkdirTemp("", "chaos-bin-"); err != nil {
			t.Fatal(err)
		}
	}
	binBuilt[name] = testkit.BuildCommand(t, name, binDir)
	return binBuilt[name]
}
