// Command loadgen drives spiky open-model load at a synchronous HTTP target
// and an asynchronous (202 + Kafka) target and records what going
// asynchronous buys and costs. See README.md and `loadgen --help`.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/profiles"
)

// Exit codes (DESIGN.md, "Exit codes").
const (
	exitOK            = 0
	exitCannotRun     = 1
	exitBadInput      = 2
	exitInvalidRun    = 97
	exitThresholdFail = 99
)

// exitError carries an exit code other than exitCannotRun to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func badInput(err error) error { return &exitError{code: exitBadInput, err: err} }

func main() {
	app := newApp()
	err := app.Run(cliargs.FlagsFirst(app, os.Args))
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
	}
	os.Exit(exitCode(err))
}

// exitCode maps an error to the documented exit code.
func exitCode(err error) int {
	var ee *exitError
	var pe *profiles.Error
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &pe):
		return exitBadInput
	default:
		return exitCannotRun
	}
}

func newApp() *cli.App {
	app := &cli.App{
		Name:  "loadgen",
		Usage: "open-model load for sync and async (Kafka) targets, recorded in HDR histograms",
		Description: `loadgen sends requests at their intended times whether or not earlier ones
have answered (the open model), so latency is measured from when a request
should have left, not from when a slow target let it leave.

Exit codes: 0 the run finished and every threshold held; 1 it could not run;
2 bad input; 97 the run is invalid (the generator fell behind its schedule);
99 a threshold failed.`,
		Commands:               []*cli.Command{runCommand(), reportCommand(), gateCommand(), targetCommand(), brokerCommand()},
		OnUsageError:           usageError,
		UseShortOptionHandling: false,
		Suggest:                true,
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = usageError
	}
	return app
}

// usageError makes every command-line mistake exit 2.
func usageError(_ *cli.Context, err error, _ bool) error { return badInput(err) }
