package cliargs

import (
	"io"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// preparedApp has a command that holds others and one with a required flag.
func preparedApp() *cli.App {
	app := &cli.App{
		Name:      "app",
		Writer:    io.Discard,
		ErrWriter: io.Discard,
		Commands: []*cli.Command{
			{Name: "serve", Subcommands: []*cli.Command{{Name: "worker", Aliases: []string{"w"},
				Flags:  []cli.Flag{&cli.StringFlag{Name: "group"}},
				Action: func(c *cli.Context) error { return Required(c, "group") }}}},
		},
	}
	Prepare(app)
	return app
}

func TestEveryCommandLineMistakeIsBadInput(t *testing.T) {
	tests := []struct {
		args string
		want int
		says string // part of the error; "" for none
	}{
		// Right, by name and by alias.
		{"app serve worker --group g", ExitOK, ""},
		{"app serve w --group g", ExitOK, ""},
		// A command that holds others, or the app, without a command shows help.
		{"app serve", ExitOK, ""},
		{"app", ExitOK, ""},
		// An unknown command, at the top or below, suggesting the nearest.
		{"app serv", ExitBadInput, `"serv" is not a command (see --help). Did you mean "serve"?`},
		{"app serve wroker", ExitBadInput, `"wroker" is not a command`},
		// An unknown flag, on the app or on a command.
		{"app --nosuch", ExitBadInput, "-nosuch"},
		{"app serve worker --nosuch", ExitBadInput, "-nosuch"},
		// A required flag left out.
		{"app serve worker", ExitBadInput, "--group is required"},
	}
	for _, tt := range tests {
		err := preparedApp().Run(strings.Fields(tt.args))
		if got := ExitCode(err); got != tt.want || (tt.says != "" && (err == nil || !strings.Contains(err.Error(), tt.says))) {
			t.Errorf("%s: exit %d, error %v; want exit %d saying %q", tt.args, got, err, tt.want, tt.says)
		}
	}
}
