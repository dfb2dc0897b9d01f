package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/gate"
	"github.com/loadchaos/loadgen/internal/report"
	"github.com/loadchaos/loadgen/profiles"
)

func gateCommand() *cli.Command {
	return &cli.Command{
		Name:      "gate",
		Usage:     "check a run bundle against thresholds and a baseline: exit 99 when a check fails",
		ArgsUsage: "BUNDLE",
		Description: `Checks the thresholds of the profile the run used (its profile.yaml) and every
--threshold, and with --baseline compares latency percentiles computed from both
bundles' HDR interval logs. Prints a table of every check; --junit writes one test
case per check for CI.

A threshold is PATH OP NUMBER, PATH a dotted path into summary.json:
  sync.latency_ms.p99 < 50        async.lost == 0
  phases.fault.async.e2e_latency_ms.p99 < 15000
  chaos[*].recover_s < 30         sync.error_ratio <= 1%
Derived figures: *.error_ratio, *.reject_ratio, *.rate, *.lost_ratio, ... (see
internal/gate/doc.go).

Exit codes: 0 every check held; 99 a check failed; 97 the run itself is invalid
(its figures do not count); 2 a malformed expression (its column named); 1 the
bundle cannot be read.`,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "threshold", Aliases: []string{"t"}, Usage: "check `EXPR` too (repeatable)"},
			&cli.StringFlag{Name: "baseline", Usage: "compare with the bundle in `DIR`"},
			&cli.StringSliceFlag{Name: "figure", Usage: "with --baseline: compare `FIGURE` (such as sync.latency_ms.p99; repeatable; default: the p99 of each log both bundles have)"},
			&cli.StringFlag{Name: "max-regression", Value: "10%", Usage: "with --baseline: the largest rise allowed, `PCT`"},
			&cli.StringFlag{Name: "junit", Usage: "write JUnit XML to `FILE`"},
		},
		Action: gateAction,
	}
}

func gateAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return cliargs.BadInput(fmt.Errorf("gate takes one bundle, got %d arguments", c.NArg()))
	}
	dir := c.Args().First()
	s, err := bundle.ReadSummary(dir)
	if err != nil {
		return err
	}
	exprs := c.StringSlice("threshold")
	if data, err := os.ReadFile(filepath.Join(dir, bundle.ProfileFile)); err == nil {
		if prof, err := profiles.Parse(bundle.ProfileFile, data); err == nil {
			exprs = append(prof.Thresholds, exprs...)
		}
	}
	checks, err := gate.Check(s, exprs)
	var parseErr *gate.ParseError
	if errors.As(err, &parseErr) {
		return cliargs.BadInput(err)
	} else if err != nil {
		return err
	}
	if base := c.String("baseline"); base != "" {
		pct, err := gate.ParseRegression(c.String("max-regression"))
		if err != nil {
			return cliargs.BadInput(fmt.Errorf("--max-regression: %w", err))
		}
		compared, err := gate.Compare(dir, base, c.StringSlice("figure"), pct)
		if errors.Is(err, gate.ErrFigure) {
			return cliargs.BadInput(err)
		} else if err != nil {
			return err
		}
		checks = append(checks, compared...)
	}
	if err := gate.Table(os.Stdout, checks); err != nil {
		return err
	}
	if path := c.String("junit"); path != "" {
		s.Thresholds = checks
		if err := writeTo(path, func(w io.Writer) error { return report.JUnit(w, s) }); err != nil {
			return err
		}
	}
	if !s.Run.Valid {
		return &cliargs.ExitError{Code: cliargs.ExitInvalidRun, Err: errors.New("the run is invalid: its figures do not count")}
	}
	return thresholdsHeld(checks)
}

// thresholdsHeld is nil when every check held, else exit 99.
func thresholdsHeld(checks []bundle.Threshold) error {
	failed := 0
	for _, c := range checks {
		if !c.OK {
			failed++
		}
	}
	if failed > 0 {
		return &cliargs.ExitError{Code: cliargs.ExitThresholdFailed, Err: fmt.Errorf("%d of %d thresholds failed", failed, len(checks))}
	}
	return nil
}
