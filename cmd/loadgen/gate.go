package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/gate"
	"github.com/loadchaos/loadgen/internal/report"
	"github.com/loadchaos/loadgen/internal/run"
	"github.com/loadchaos/loadgen/profiles"
)

func gateCommand() *cli.Command {
	return &cli.Command{
		Name:      "gate",
		Usage:     "check a run bundle against thresholds and a baseline: exit 99 when a check fails",
		ArgsUsage: "BUNDLE",
		Description: `Checks the thresholds of the profile the run used (its profile.yaml) and every
--threshold, and with --baseline compares latency percentiles computed from both
bundles' HDR interval logs. Prints a table of every check, or with --format json
the checks, the verdict and the warnings for machines (schema loadgen.gate/v1, in
docs/design.md); --junit writes one test case per check for CI. When the baseline
was written by another loadgen build (version or revision), a warning on standard
error names both.

A threshold is PATH OP NUMBER, PATH a dotted path into summary.json:
  sync.latency_ms.p99 < 50        async.lost == 0
  phases.fault.async.e2e_latency_ms.p99 < 15000
  chaos[*].recover_s < 30         sync.error_ratio <= 1%
Derived figures: *.error_ratio, *.reject_ratio, *.rate, *.lost_ratio, ... (see
internal/gate/doc.go).

A phase in a path is one of baseline, fault and recovery. The baseline bundle
must have a summary.json of the same schema (loadgen.summary/v1).

Exit codes: 0 every check held; 99 a check failed; 97 the run itself is invalid
(its figures do not count); 2 a malformed expression (its column named) or an
invalid profile.yaml in the bundle; 1 a bundle cannot be read (a summary.json of
another schema, a log that is not an interval log).`,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "threshold", Aliases: []string{"t"}, Usage: "check `EXPR` too (repeatable)", EnvVars: []string{"LOADGEN_THRESHOLD"}},
			&cli.StringFlag{Name: "baseline", Usage: "compare with the bundle in `DIR`", EnvVars: []string{"LOADGEN_BASELINE"}},
			&cli.StringSliceFlag{Name: "figure", Usage: "with --baseline: compare `FIGURE`, such as sync.latency_ms.p99 (repeatable)",
				DefaultText: "the p99 of each log both bundles have", EnvVars: []string{"LOADGEN_FIGURE"}},
			&cli.StringFlag{Name: "max-regression", Value: "10%", Usage: "with --baseline: the largest rise allowed, `PCT`", EnvVars: []string{"LOADGEN_MAX_REGRESSION"}},
			&cli.StringFlag{Name: "junit", Usage: "write JUnit XML to `FILE`", EnvVars: []string{"LOADGEN_JUNIT"}},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "`FORMAT` of the result on standard output: text (a table) or json", EnvVars: []string{"LOADGEN_FORMAT"}},
		},
		Action: gateAction,
	}
}

func gateAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return cliargs.BadInput(fmt.Errorf("gate takes one bundle, got %d arguments", c.NArg()))
	}
	format := c.String("format")
	if format != "text" && format != "json" {
		return cliargs.BadInput(fmt.Errorf("--format %q: want text or json", format))
	}
	dir := bundleDir(c.Args().First())
	if isSweepBundle(dir) {
		return gateSweep(c, dir, format)
	}
	s, err := bundle.ReadSummary(dir)
	if err != nil {
		return err
	}
	exprs, err := profileThresholds(dir)
	if err != nil {
		return err
	}
	checks, err := gate.Check(s, append(exprs, c.StringSlice("threshold")...))
	var parseErr *gate.ParseError
	if errors.As(err, &parseErr) {
		return cliargs.BadInput(err)
	} else if err != nil {
		return err
	}
	var warnings []string
	if base := c.String("baseline"); base != "" {
		baseline, err := bundle.ReadSummary(bundleDir(base))
		if err != nil {
			return fmt.Errorf("baseline bundle: %w", err)
		}
		if w := gate.BuildWarning(s, baseline); w != "" {
			warnings = append(warnings, w)
			fmt.Fprintf(c.App.ErrWriter, "%s: warning: %s\n", c.App.Name, w)
		}
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
	if format == "json" {
		err = gate.JSON(os.Stdout, gate.NewReport(checks, s.Run.Valid, warnings))
	} else {
		err = gate.Table(os.Stdout, checks)
	}
	if err != nil {
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

// profileThresholds reads the thresholds of the profile the run in dir used.
// A bundle without profile.yaml has none; one whose profile.yaml cannot be
// read or is invalid (exit 2) is refused rather than gated without them.
func profileThresholds(dir string) ([]string, error) {
	prof, err := profiles.Load(filepath.Join(dir, bundle.ProfileFile), run.ProfileChecks()...)
	var invalid *profiles.Error
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case errors.As(err, &invalid):
		return nil, cliargs.BadInput(fmt.Errorf("the bundle's profile: %w", err))
	case err != nil:
		return nil, fmt.Errorf("the bundle's profile: %w", err)
	}
	return prof.Thresholds, nil
}

// bundleDir is the bundle directory a BUNDLE argument names: the directory
// itself, or the one holding the summary.json named.
func bundleDir(path string) string {
	if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
		return filepath.Dir(path)
	}
	return path
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
