package main

import (
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/report"
)

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "render a run bundle",
		ArgsUsage: "BUNDLE",
		Description: `BUNDLE is a bundle directory (results/latest, results/<run-id>) or its summary.json.

Formats: text (the table printed at the end of a run), json (summary.json).`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "`FORMAT`: text or json"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` instead of standard output"},
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
