package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/phases"
	"github.com/loadchaos/loadgen/internal/report"
)

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "render a run bundle as text, JSON, HTML, HdrHistogram percentiles or JUnit",
		ArgsUsage: "BUNDLE",
		Description: `BUNDLE is a bundle directory (results/latest, results/<run-id>).

Formats:
  text   both paths side by side, in total and per phase (baseline, fault,
         recovery), with each fault's detect and recover times: what a run prints
  json   summary.json
  html   one self-contained page of charts, readable offline (every run also
         writes it into its bundle as report.html)
  hgrm   HdrHistogram percentile distributions, as HdrHistogram's own plotter
         reads them: with --log sync|async.accept|async.e2e one of them, else one
         NAME.hgrm file per log, written into -o DIR (made if need be;
         default: the bundle)
  junit  one test case per threshold checked by the run, plus its validity

--journal puts the faults of a chaos journal written elsewhere (by the standalone
chaos agent during a staging drill) on the run's timeline: the phases and each
fault's detect and recover times are computed anew from the bundle's timeline
and interval logs.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "`FORMAT`: text, json, html, hgrm or junit", EnvVars: []string{"LOADGEN_FORMAT"}},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` (a directory, made if need be, for hgrm without --log) instead of standard output", EnvVars: []string{"LOADGEN_OUTPUT"}},
			&cli.StringFlag{Name: "log", Usage: "with --format hgrm: the one `LOG` to render: sync, async.accept or async.e2e", EnvVars: []string{"LOADGEN_LOG"}},
			&cli.StringFlag{Name: "journal", Usage: "chaos journal `FILE` (JSON lines) to place on the run's timeline", EnvVars: []string{"LOADGEN_JOURNAL"}},
		},
		Action: reportAction,
	}
}

func reportAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return cliargs.BadInput(fmt.Errorf("report takes one bundle, got %d arguments", c.NArg()))
	}
	dir := bundleDir(c.Args().First())
	format, out := c.String("format"), c.String("output")
	if !slices.Contains([]string{"text", "json", "html", "hgrm", "junit"}, format) {
		return cliargs.BadInput(fmt.Errorf("--format %q: want text, json, html, hgrm or junit", format))
	}
	s, err := bundle.ReadSummary(dir)
	if err != nil {
		return err
	}
	if journal := c.String("journal"); journal != "" {
		if err := placeJournal(dir, journal, s); err != nil {
			return err
		}
	}
	switch format {
	case "hgrm":
		if c.String("log") == "" {
			files, err := report.WriteHGRMs(dir, cmp.Or(out, dir))
			for _, f := range files {
				fmt.Println(f)
			}
			return err
		}
		return writeTo(out, func(w io.Writer) error { return report.HGRMLog(w, dir, c.String("log")) })
	case "html":
		return writeTo(out, func(w io.Writer) error { return report.HTML(w, dir) })
	}
	render := map[string]func(io.Writer, *bundle.Summary) error{"text": report.Text, "json": report.JSON, "junit": report.JUnit}[format]
	return writeTo(out, func(w io.Writer) error { return render(w, s) })
}

// writeTo writes to the file named, or to standard output when it is "".
func writeTo(path string, write func(io.Writer) error) error {
	if path == "" {
		return write(os.Stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// placeJournal recomputes a summary's phases and chaos events from a journal.
func placeJournal(dir, journal string, s *bundle.Summary) error {
	if _, err := os.Stat(journal); err != nil {
		return fmt.Errorf("--journal: %w", err)
	}
	endS := s.Run.DurationS
	if s.Async != nil && s.Async.DrainS != nil {
		endS += *s.Async.DrainS
	}
	a, err := phases.Analyze(dir, journal, s.Run.Started, s.Run.DurationS, endS)
	if err != nil {
		return err
	}
	s.Phases, s.Chaos = a.Phases, a.Chaos
	return nil
}
