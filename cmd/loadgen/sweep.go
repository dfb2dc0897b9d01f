package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/report"
	"github.com/loadchaos/loadgen/internal/run"
	"github.com/loadchaos/loadgen/internal/sweep"
	"github.com/loadchaos/loadgen/profiles"
)

func sweepCommand() *cli.Command {
	return &cli.Command{
		Name:      "sweep",
		Usage:     "run a profile once per value of its settings and plot the outcomes against them",
		ArgsUsage: "PROFILE|SWEEP",
		Description: `Runs PROFILE (a built-in profile, a profile file, or a built-in sweep: ` + strings.Join(sweep.Builtins(), ", ") + `)
once per value of each --vary setting, a grid when there are several, on the
embedded drill. Each point is an ordinary run with its bundle under the sweep
bundle's points/; the sweep bundle, DIR/sweep-ID/, holds sweep.json (each
point's values, bundle and outcomes) and sweep.html (a chart per outcome
against the first setting, a line per value of the others). DIR/latest points
at it. loadgen gate checks every point of a sweep bundle.

A setting is its dotted path in the profile's YAML, with [N] for an item of a
list: environment.session_timeout, environment.chain, stages[0].rate. Each value
is set on the profile and the profile checked again, so an unknown path or a
bad value is refused (exit 2) before anything runs. Values are separated by
commas and may not hold one.

A built-in sweep brings its profile, settings and outcomes: rebalance (the
consumer groups' session timeout against takeover time and duplicates) and
chain-depth (the sync path's availability and p99 through 1 to 5 backend tiers,
the async path beside it). --vary and --outcome replace theirs.

A point that fails to run is recorded and the sweep goes on. Ctrl-C or SIGTERM
stops the running point as loadgen run does, writes the sweep bundle with what
it has, marked partial, and exits 1.

Exit codes: 0 every point ran, was valid and held its thresholds; 1 a point
could not run, or the sweep was interrupted; 2 bad input; 97 a point's run is
invalid; 99 a point's threshold failed.

Examples:
  loadgen sweep rebalance
  loadgen sweep chain-depth
  loadgen sweep spike --vary environment.session_timeout=6s,12s,20s,30s
  loadgen sweep my.yaml --vary environment.chain=1,3 --vary environment.backends=2,4 --outcome sync.latency_ms.p99`,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "vary", Usage: "run once per value of setting `PATH=V1,V2,...` (repeatable: a grid)",
				DefaultText: "a built-in sweep's", EnvVars: []string{"LOADGEN_VARY"}},
			&cli.StringSliceFlag{Name: "outcome", Usage: "plot `PATH` of each point's summary.json, as in a threshold (repeatable)",
				DefaultText: strings.Join(sweep.DefaultOutcomes, ", ") + "; a built-in sweep's own", EnvVars: []string{"LOADGEN_OUTCOME"}},
			&cli.StringFlag{Name: "out", Value: "results", Usage: "results root: the sweep bundle goes into `DIR`/sweep-ID/", EnvVars: []string{"LOADGEN_OUT"}},
			&cli.Uint64Flag{Name: "seed", Usage: "`N` seeds every point's random choices", DefaultText: "the profile's, else random per point", EnvVars: []string{"LOADGEN_SEED"}},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print no progress and no table of the points, only a line per point (on standard error) and the sweep bundle's path", EnvVars: []string{"LOADGEN_QUIET"}},
		},
		Action: sweepAction,
	}
}

// sweepSetup is what a sweep runs: the points, what it plots, its header.
type sweepSetup struct {
	points   []sweep.Planned
	outcomes *sweep.Outcomes
	header   sweep.File
}

func sweepAction(c *cli.Context) error {
	ctx := interruptible(c.Context)
	if c.NArg() != 1 {
		return cliargs.BadInput(fmt.Errorf("sweep takes one profile or built-in sweep, got %d arguments", c.NArg()))
	}
	setup, err := planSweep(c)
	if err != nil {
		return cliargs.BadInput(err)
	}
	root := c.String("out")
	b, err := bundle.Create(root, "sweep-"+bundle.NewRunID(time.Now()))
	if err != nil {
		return fmt.Errorf("create the sweep bundle: %w", err)
	}
	f := setup.header
	f.ID = filepath.Base(b.Dir)
	for i, p := range setup.points {
		if ctx.Err() != nil {
			f.Partial = true
			break
		}
		fmt.Fprintf(os.Stderr, "point %d of %d: %s\n", i+1, len(setup.points), describePoint(f.Params, p.Values))
		pt := runPoint(ctx, c, b.Dir, i, p, setup.outcomes)
		f.Points = append(f.Points, pt)
		fmt.Fprintf(os.Stderr, "point %d of %d: %s\n", i+1, len(setup.points), pointVerdict(pt))
		f.Partial = f.Partial || pt.Partial
	}
	if err := writeSweep(b, &f); err != nil {
		return err
	}
	if !c.Bool("quiet") {
		sweepTable(os.Stdout, &f)
	}
	fmt.Fprintf(os.Stdout, "sweep bundle: %s\n", b.Dir)
	return sweepExit(&f)
}

// planSweep reads the profile or built-in sweep and the flags, and checks
// every point's profile before any runs.
func planSweep(c *cli.Context) (*sweepSetup, error) {
	name := c.Args().First()
	checks := run.ProfileChecks()
	var base sweep.Base
	var params []sweep.Param
	outcomes := sweep.DefaultOutcomes
	label := name
	builtin, ok, err := sweep.LoadBuiltin(name, checks...)
	switch {
	case err != nil:
		return nil, err
	case ok:
		base, params, outcomes, label = builtin.Base, builtin.Params, builtin.Outcomes, "sweep:"+name
	default:
		source, data, err := profiles.Text(name)
		if err != nil {
			return nil, err
		}
		if base, err = sweep.BaseOf(source, data, checks...); err != nil {
			return nil, err
		}
	}
	if flags := c.StringSlice("vary"); len(flags) > 0 {
		if params, err = parseVaries(flags); err != nil {
			return nil, err
		}
	}
	if names := c.StringSlice("outcome"); len(names) > 0 {
		outcomes = names
	}
	o, err := sweep.ParseOutcomes(outcomes)
	if err != nil {
		return nil, fmt.Errorf("--outcome: %w", err)
	}
	points, err := sweep.Plan(base, params, checks...)
	if err != nil {
		return nil, err
	}
	for _, p := range points {
		p.Profile.Source = label
		if c.IsSet("seed") {
			p.Profile.Seed = c.Uint64("seed")
		}
	}
	return &sweepSetup{points: points, outcomes: o,
		header: sweep.File{Schema: sweep.Schema, Profile: label, Params: params, Outcomes: o.Names()}}, nil
}

// parseVaries reads the --vary flags. The flag library splits a value at
// its commas; a piece with no "=" continues the setting before it.
func parseVaries(pieces []string) ([]sweep.Param, error) {
	var joined []string
	for _, piece := range pieces {
		if len(joined) > 0 && !strings.Contains(piece, "=") {
			joined[len(joined)-1] += "," + piece
			continue
		}
		joined = append(joined, piece)
	}
	params := make([]sweep.Param, 0, len(joined))
	for _, v := range joined {
		p, err := sweep.ParseVary(v)
		if err != nil {
			return nil, fmt.Errorf("--vary %s: %w", v, err)
		}
		params = append(params, p)
	}
	return params, nil
}

func describePoint(params []sweep.Param, values []string) string {
	parts := make([]string, len(params))
	for i, p := range params {
		parts[i] = p.Path + "=" + values[i]
	}
	return strings.Join(parts, " ")
}

// writeSweep writes sweep.json and sweep.html and points latest at the
// sweep bundle.
func writeSweep(b *bundle.Bundle, f *sweep.File) error {
	if err := b.WriteFile(sweep.FileName, f.Write); err != nil {
		return err
	}
	if err := b.WriteFile(sweep.HTMLName, func(w io.Writer) error { return report.SweepHTML(w, f) }); err != nil {
		return err
	}
	return b.LinkLatest()
}

// sweepExit is the exit the points call for, the worst first: one that
// could not run or an interruption (1), an invalid run (97), a failed
// threshold (99).
func sweepExit(f *sweep.File) error {
	var failed, invalid, notRun int
	for _, p := range f.Points {
		switch {
		case p.Error != "":
			notRun++
		case !p.Valid:
			invalid++
		case !p.ThresholdsOK:
			failed++
		}
	}
	switch {
	case f.Partial:
		return errors.New("interrupted: the sweep bundle is partial")
	case notRun > 0:
		return fmt.Errorf("%d of %d points could not run", notRun, len(f.Points))
	case invalid > 0:
		return &cliargs.ExitError{Code: cliargs.ExitInvalidRun, Err: fmt.Errorf("%d of %d points are invalid runs", invalid, len(f.Points))}
	case failed > 0:
		return &cliargs.ExitError{Code: cliargs.ExitThresholdFailed, Err: fmt.Errorf("%d of %d points failed a threshold", failed, len(f.Points))}
	}
	return nil
}
