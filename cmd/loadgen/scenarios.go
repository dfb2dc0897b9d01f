package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/run"
	"github.com/loadchaos/loadgen/profiles"
)

func scenariosCommand() *cli.Command {
	return &cli.Command{
		Name:  "scenarios",
		Usage: "list the built-in profiles and what each shows; run one with loadgen run NAME",
		Description: `Each built-in runs on the embedded drill in a few minutes at most. A scenario's
thresholds assert its claim, so a run on a system where the claim does not hold
exits 99; its report writes the claim with the run's figures.`,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return cliargs.BadInput(fmt.Errorf("scenarios takes no argument, got %d", c.NArg()))
			}
			w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tLOAD\tWHAT IT SHOWS")
			for _, name := range profiles.Builtins() {
				p, err := profiles.Load(name, run.ProfileChecks()...)
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "%s\t%v\t%s\n", p.Name, p.Duration, p.Description)
			}
			return w.Flush()
		},
	}
}
