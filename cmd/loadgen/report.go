package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/phases"
	"github.com/loadchaos/loadgen/internal/report"
)

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "render a run bundle",
		ArgsUsage: "BUNDLE",
		Description: `BUNDLE is a bundle directory (results/latest, results/<run-id>) or its summary.json.

Formats: text (the table printed at the end of a run), json (summary.json).

--journal puts the faults of a chaos journal written elsewhere (by the standalone
chaos agent during a staging drill) on the run's timeline: the phases (baseline,
fault, recovery) and each fault's detect and recover times are computed anew from
the bundle's timeline and interval logs.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "`FORMAT`: text or json"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` instead of standard output"},
			&cli.StringFlag{Name: "journal", Usage: "chaos journal `FILE` (JSON lines) to place on the run's timeline"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return badInput(fmt.Errorf("report takes one bundle, got %d arguments", c.NArg()))
			}
			render, ok := map[string]func(io.Writer, *bundle.Summary) error{
				"text": report.Text,
				"json": func(w io.Writer, s *bundle.Summary) error { return s.Encode(w) },
			}[c.String("format")]
			if !ok {
				return badInput(fmt.Errorf("--format %q: want text or json", c.String("format")))
			}
			s, err := bundle.ReadSummary(c.Args().First())
			if err != nil {
				return err
			}
			if journal := c.String("journal"); journal != "" {
				if err := placeJournal(c.Args().First(), journal, s); err != nil {
					return err
				}
			}
			if out := c.String("output"); out != "" {
				f, err := os.Create(out)
				if err != nil {
					return err
				}
				if err := render(f, s); err != nil {
					f.Close()
					return err
				}
				return f.Close()
			}
			return render(os.Stdout, s)
		},
	}
}

// placeJournal recomputes a summary's phases and chaos events from a journal.
func placeJournal(bundlePath, journal string, s *bundle.Summary) error {
	if _, err := os.Stat(journal); err != nil {
		return fmt.Errorf("--journal: %w", err)
	}
	dir := bundlePath
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir)
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
