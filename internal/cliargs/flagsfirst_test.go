package cliargs

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// testApp has the shapes of command FlagsFirst tells apart: flags with and
// without a value, and a command with subcommands.
func testApp() *cli.App {
	return &cli.App{
		Name: "loadgen",
		Commands: []*cli.Command{
			{Name: "run", Flags: []cli.Flag{
				&cli.DurationFlag{Name: "duration"},
				&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}},
				&cli.StringFlag{Name: "out"},
			}},
			{Name: "target", Subcommands: []*cli.Command{{Name: "sync-edge"}}},
		},
	}
}

func TestFlagsMayFollowTheProfile(t *testing.T) {
	got := FlagsFirst(testApp(), []string{"loadgen", "run", "steady", "--duration", "5s", "--quiet", "--out=x"})
	want := []string{"loadgen", "run", "--duration", "5s", "--quiet", "--out=x", "--", "steady"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestFlagsFirst(t *testing.T) {
	tests := []struct {
		args string
		want string
	}{
		// Flags already first, no positional arguments: unchanged.
		{"loadgen run --duration 5s", "loadgen run --duration 5s"},
		// A bool flag, by its alias, does not take the next argument.
		{"loadgen run -q steady", "loadgen run -q -- steady"},
		// What follows "--" is positional, even when it looks like a flag.
		{"loadgen run steady -- --out", "loadgen run -- steady --out"},
		// A value flag at the very end keeps no value it does not have.
		{"loadgen run steady --out", "loadgen run --out -- steady"},
		// A lone "-" is positional (standard input, by convention).
		{"loadgen run - -q", "loadgen run -q -- -"},
		// A command with subcommands takes its flags after their name: unchanged.
		{"loadgen target sync-edge --listen :0", "loadgen target sync-edge --listen :0"},
		// A command the app does not have: unchanged, for urfave/cli to reject.
		{"loadgen nosuch x --y", "loadgen nosuch x --y"},
		// A completion script's question: unchanged, the completion flag last.
		{"loadgen run steady --du --generate-bash-completion", "loadgen run steady --du --generate-bash-completion"},
		// No arguments after the command: unchanged.
		{"loadgen run", "loadgen run"},
	}
	for _, tt := range tests {
		got := FlagsFirst(testApp(), strings.Fields(tt.args))
		if want := strings.Fields(tt.want); !slices.Equal(got, want) {
			t.Errorf("%s: got %q, want %q", tt.args, got, want)
		}
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		// No error: 0.
		{"ok", nil, ExitOK},
		// A plain error: the run could not happen.
		{"plain", errors.New("dial tcp: refused"), ExitCannotRun},
		// Marked bad input, even when wrapped.
		{"bad input", fmt.Errorf("flag: %w", BadInput(errors.New("x"))), ExitBadInput},
		// An invalid YAML document is bad input.
		{"invalid document", &yamlfields.Error{}, ExitBadInput},
		// An explicit code is kept.
		{"threshold", &ExitError{Code: ExitThresholdFailed, Err: errors.New("1 failed")}, ExitThresholdFailed},
	}
	for _, tt := range tests {
		if got := ExitCode(tt.err); got != tt.want {
			t.Errorf("%s: exit %d, want %d", tt.name, got, tt.want)
		}
	}
}
