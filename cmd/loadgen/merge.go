package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/merge"
	"github.com/loadchaos/loadgen/internal/report"
)

func mergeCommand() *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "make one bundle of the bundles of one run's segments (loadgen run --segment I/N)",
		ArgsUsage: "PATH...",
		Description: `Each PATH is a bundle, a results root (its latest bundle), or a directory of results
roots (each one's latest, or each bundle in it), such as /results holding /results/0,
/results/1, ... of a Kubernetes Indexed Job.

The merged bundle is exact: per-second HDR histograms of one geometry are added by
absolute time (percentiles are never averaged), counters summed, each segment's ledger
of its own ids added. Validity comes from the combined late and dropped ratios; phases
and the profile's thresholds are worked out again. loadgen report and loadgen gate read
it as any other bundle.

It refuses, naming the bundle: bundles of different runs, profiles, seeds or starts, a
segment given twice, and a missing segment unless --allow-missing (the result is then
partial and lists what is missing). It needs the segments' clocks within a few
milliseconds of each other (NTP): a generator's lateness is measured on its own clock.

Exit codes: 0 merged and every threshold held; 1 a bundle could not be read or written;
2 bundles that do not make one run; 97 the merged run is invalid; 99 a threshold failed.

Examples:
  loadgen merge -o results/merged results/seg0 results/seg1 results/seg2
  loadgen merge -o /results/merged --wait 30m /results`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write the merged bundle into `DIR` (new, empty, or an earlier merge to replace)", EnvVars: []string{"LOADGEN_OUT"}},
			&cli.DurationFlag{Name: "wait", Usage: "wait up to `D` for every segment's bundle to be there, finished", EnvVars: []string{"LOADGEN_WAIT"}},
			&cli.BoolFlag{Name: "allow-missing", Usage: "merge the segments there are when some are missing: the result is partial and names them", EnvVars: []string{"LOADGEN_ALLOW_MISSING"}},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only the merged bundle's path", EnvVars: []string{"LOADGEN_QUIET"}},
		},
		Action: mergeAction,
	}
}

func mergeAction(c *cli.Context) error {
	if c.NArg() == 0 {
		return cliargs.BadInput(errors.New("merge takes the bundles to merge, got none"))
	}
	if c.String("out") == "" {
		return cliargs.BadInput(errors.New("--out (-o) is required: the merged bundle's directory"))
	}
	s, err := merge.Run(interruptible(c.Context), merge.Options{Out: c.String("out"), Paths: c.Args().Slice(),
		Wait: c.Duration("wait"), AllowMissing: c.Bool("allow-missing")})
	var input *merge.InputError
	switch {
	case errors.As(err, &input):
		return cliargs.BadInput(err)
	case err != nil:
		return err
	}
	if !c.Bool("quiet") {
		report.Text(os.Stdout, s)
	}
	fmt.Fprintf(os.Stdout, "bundle: %s\n", c.String("out"))
	switch {
	case !s.Run.Valid:
		return &cliargs.ExitError{Code: cliargs.ExitInvalidRun, Err: fmt.Errorf("the merged run is invalid: %s", strings.Join(s.Run.InvalidReasons, "; "))}
	case s.Run.Partial:
		fmt.Fprintf(os.Stderr, "loadgen: the merged bundle is partial: segments %v are missing or were interrupted\n", s.Run.Merged.Missing)
	}
	return thresholdsHeld(s.Thresholds)
}
