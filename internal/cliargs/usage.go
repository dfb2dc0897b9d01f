package cliargs

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"
)

// Prepare makes every command-line mistake in app exit 2 (ExitBadInput)
// through Main: an unknown or misused flag, an unknown command at any
// level. urfave/cli would exit 3 on an unknown command, from inside Run.
// It also lets app answer the shell completion scripts (CompletionCommand).
func Prepare(app *cli.App) {
	app.EnableBashCompletion = true
	app.BashComplete = completer(func() []cli.Flag { return app.Flags }, app.Commands)
	app.OnUsageError = UsageError
	app.ExitErrHandler = func(*cli.Context, error) {} // Main prints and exits
	app.Action = unknownCommand(cli.ShowAppHelp, app.Commands)
	prepare(app.Commands)
}

func prepare(cmds []*cli.Command) {
	for _, cmd := range cmds {
		cmd.OnUsageError = UsageError
		cmd.BashComplete = completer(func() []cli.Flag { return cmd.Flags }, cmd.Subcommands)
		if len(cmd.Subcommands) > 0 {
			cmd.Action = unknownCommand(cli.ShowSubcommandHelp, cmd.Subcommands)
			prepare(cmd.Subcommands)
		}
	}
}

// unknownCommand is the action of a command that only holds others (cmds):
// with no argument it shows its help, with one it refuses it, suggesting
// the nearest command.
func unknownCommand(help func(*cli.Context) error, cmds []*cli.Command) cli.ActionFunc {
	return func(c *cli.Context) error {
		if !c.Args().Present() {
			return help(c)
		}
		msg := fmt.Sprintf("%q is not a command (see --help)", c.Args().First())
		if suggestion := cli.SuggestCommand(cmds, c.Args().First()); suggestion != "" {
			msg += ". " + suggestion
		}
		return BadInput(errors.New(msg))
	}
}

// UsageError is the urfave/cli hook that makes a misused flag exit 2.
func UsageError(_ *cli.Context, err error, _ bool) error { return BadInput(err) }

// Required refuses, as bad input, a command run without one of the flags
// named. Flags declare no Required: urfave/cli's own check exits 1.
func Required(c *cli.Context, names ...string) error {
	for _, name := range names {
		if !c.IsSet(name) {
			return BadInput(fmt.Errorf("--%s is required", name))
		}
	}
	return nil
}
