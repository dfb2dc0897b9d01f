package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/chaos/agent"
	"github.com/loadchaos/loadgen/internal/cliargs"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "play an experiment: actions, each a selector, a fault, a schedule and limits",
		ArgsUsage: "EXPERIMENT.yaml",
		Description: `Plays the experiment's actions at their times, journals each one, and halts when they
are done and their faults undone, at the deadline, at Ctrl-C or SIGTERM, or when the
steady-state probe fails. The schema is in internal/chaos/agent/doc.go and docs/chaos.md.

Example:
  chaos run drill.yaml                       # dry run: what would be hit, when
  chaos run drill.yaml --arm --journal drill.jsonl
  loadgen report results/latest --journal drill.jsonl

` + seeSafetyRules,
		Flags: []cli.Flag{armFlag(), journalFlag(),
			deadlineFlag("halt after `D` whatever is left", "the experiment's, else 30m"),
			&cli.Uint64Flag{Name: "seed", Usage: "`N` seeds random picks and jitter", DefaultText: "the experiment's, else drawn and journaled", EnvVars: []string{"CHAOS_SEED"}},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return cliargs.BadInput(fmt.Errorf("run takes one experiment file, got %d arguments", c.NArg()))
			}
			exp, err := agent.Load(c.Args().First())
			if err != nil {
				return err
			}
			if c.IsSet("deadline") && c.Duration("deadline") <= 0 {
				return cliargs.BadInput(fmt.Errorf("--deadline %v: must be positive", c.Duration("deadline")))
			}
			return play(c, exp, c.Uint64("seed"))
		},
	}
}
