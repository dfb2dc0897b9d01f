package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/run"
	"github.com/loadchaos/loadgen/internal/sweep"
)

// runPoint runs one point of a sweep in this process, on the embedded
// drill, its bundle under dir/points/. Whatever happens is recorded, never
// returned: the sweep goes on.
func runPoint(ctx context.Context, c *cli.Context, dir string, i int, p sweep.Planned, o *sweep.Outcomes) sweep.Point {
	pt := sweep.Point{Values: p.Values}
	opts := run.Options{
		Profile: p.Profile,
		Out:     filepath.Join(dir, sweep.PointsDir),
		RunID:   fmt.Sprintf("p%03d", i+1),
		Notices: os.Stderr,
	}
	if !c.Bool("quiet") {
		opts.Progress = os.Stderr
		opts.Terminal = isTerminal(os.Stderr)
	}
	res, err := run.Run(ctx, opts)
	if err != nil {
		pt.Error = err.Error()
	}
	if res == nil || res.Summary == nil {
		if pt.Error == "" {
			pt.Error = "the run wrote no summary"
		}
		pt.Partial = ctx.Err() != nil
		return pt
	}
	if rel, err := filepath.Rel(dir, res.Dir); err == nil {
		pt.Bundle = filepath.ToSlash(rel)
	}
	s := res.Summary
	pt.Valid, pt.Partial = s.Run.Valid, s.Run.Partial
	pt.ThresholdsOK = thresholdsHeld(s.Thresholds) == nil
	pt.Outcomes = o.Of(s)
	return pt
}

// pointVerdict says how a point ran, and where its bundle or error is.
func pointVerdict(p sweep.Point) string {
	if p.Error != "" {
		return "not run: " + p.Error
	}
	return p.Status() + ", bundle " + p.Bundle
}

// sweepTable prints a row per point: its values, how it ran, its outcomes.
func sweepTable(w io.Writer, f *sweep.File) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	var head []string
	for _, p := range f.Params {
		head = append(head, p.Path)
	}
	head = append(head, "run")
	head = append(head, f.Outcomes...)
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, p := range f.Points {
		row := append([]string(nil), p.Values...)
		row = append(row, p.Status())
		for _, o := range f.Outcomes {
			if v := p.Outcomes[o]; v != nil {
				row = append(row, strconv.FormatFloat(*v, 'g', 4, 64))
			} else {
				row = append(row, "-")
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
}
