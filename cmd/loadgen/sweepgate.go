package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/gate"
	"github.com/loadchaos/loadgen/internal/sweep"
)

// isSweepBundle reports whether dir holds sweep.json.
func isSweepBundle(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, sweep.FileName))
	return err == nil
}

// gatedPoint is one point's checks, for --format json.
type gatedPoint struct {
	Values []string     `json:"values"`
	Bundle string       `json:"bundle"`
	Error  string       `json:"error,omitempty"`
	Report *gate.Report `json:"report,omitempty"`
}

// gateSweep checks each point of the sweep bundle in dir: its profile's
// thresholds and every --threshold, a table (or a JSON report) per point.
// A point that did not run, or is invalid, fails.
func gateSweep(c *cli.Context, dir, format string) error {
	if c.String("baseline") != "" || c.String("junit") != "" {
		return cliargs.BadInput(errors.New("--baseline and --junit take a run bundle, not a sweep bundle: give one of its points"))
	}
	f, err := sweep.ReadFile(dir)
	if err != nil {
		return err
	}
	var out []gatedPoint
	failed := 0
	for _, p := range f.Points {
		g := gatedPoint{Values: p.Values, Bundle: p.Bundle}
		valid, checks, err := gatePoint(dir, p, c.StringSlice("threshold"))
		var parseErr *gate.ParseError
		switch {
		case errors.As(err, &parseErr):
			return cliargs.BadInput(err)
		case err != nil:
			g.Error = err.Error()
			failed++
		default:
			r := gate.NewReport(checks, valid, nil)
			g.Report = &r
			if thresholdsHeld(checks) != nil {
				failed++
			}
		}
		if format == "text" {
			fmt.Fprintf(os.Stdout, "point %s (%s)\n", describePoint(f.Params, p.Values), cmpOrDash(p.Bundle))
			if g.Error != "" {
				fmt.Fprintf(os.Stdout, "  FAIL: %s\n", g.Error)
			} else if err := gate.Table(os.Stdout, checks); err != nil {
				return err
			}
		}
		out = append(out, g)
	}
	if format == "json" {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(struct {
			Schema string       `json:"schema"`
			Points []gatedPoint `json:"points"`
		}{"loadgen.gate.sweep/v1", out}); err != nil {
			return err
		}
	}
	if failed > 0 {
		return &cliargs.ExitError{Code: cliargs.ExitThresholdFailed, Err: fmt.Errorf("%d of %d points failed", failed, len(f.Points))}
	}
	return nil
}

// gatePoint checks one point's bundle: whether its run is valid, and its
// checks. An error when it has no bundle, the bundle cannot be read, or
// the run is invalid.
func gatePoint(dir string, p sweep.Point, thresholds []string) (bool, []bundle.Threshold, error) {
	if p.Bundle == "" {
		return false, nil, fmt.Errorf("the point did not run: %s", p.Error)
	}
	pdir := filepath.Join(dir, p.Bundle)
	s, err := bundle.ReadSummary(pdir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil, errors.New("its bundle has no summary")
	} else if err != nil {
		return false, nil, err
	}
	exprs, err := profileThresholds(pdir)
	if err != nil {
		return false, nil, err
	}
	checks, err := gate.Check(s, append(exprs, thresholds...))
	if err != nil {
		return false, nil, err
	}
	if !s.Run.Valid {
		return false, checks, errors.New("the run is invalid: its figures do not count")
	}
	return true, checks, nil
}

func cmpOrDash(s string) string {
	if s == "" {
		return "no bundle"
	}
	return s
}
