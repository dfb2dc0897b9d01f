package cliargs

import (
	"errors"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// The exit codes of both commands (docs/design.md, "Exit codes").
const (
	ExitOK              = 0  // it ran and every threshold held
	ExitCannotRun       = 1  // setup failed, a target was unreachable, an I/O error
	ExitBadInput        = 2  // an unknown flag, an invalid profile or expression
	ExitInvalidRun      = 97 // the generator fell behind its schedule
	ExitThresholdFailed = 99 // a threshold failed
)

// ExitError carries an exit code other than ExitCannotRun to Main.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// BadInput marks err as the user's mistake: exit 2.
func BadInput(err error) error { return &ExitError{Code: ExitBadInput, Err: err} }

// ExitCode maps an error to its exit code: an ExitError's own, bad input for
// an invalid YAML document (profile, experiment), else could not run.
func ExitCode(err error) int {
	var ee *ExitError
	var ye *yamlfields.Error
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.Code
	case errors.As(err, &ye):
		return ExitBadInput
	default:
		return ExitCannotRun
	}
}

// Main runs app on the process's arguments (flags may follow arguments),
// prints an error after the app's name, and exits with its code.
func Main(app *cli.App) {
	err := app.Run(FlagsFirst(app, os.Args))
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", app.Name, err)
	}
	os.Exit(ExitCode(err))
}
