// Command loadgen drives spiky open-model load at a synchronous HTTP target
// and an asynchronous (202 + Kafka) target and records what going
// asynchronous buys and costs. See README.md and `loadgen --help`.
package main

import (
	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/buildinfo"
	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/proc"
)

func main() {
	// A worker of the embedded drill exits with the loadgen that started
	// it, even one killed outright, where no parent-death signal does it.
	proc.ExitWithParent()
	cliargs.Main(newApp())
}

func newApp() *cli.App {
	app := &cli.App{
		Name:    "loadgen",
		Version: buildinfo.Read().String(),
		Usage:   "open-model load for sync and async (Kafka) targets, recorded in HDR histograms",
		Description: `loadgen sends requests at their intended times whether or not earlier ones
have answered (the open model), so latency is measured from when a request
should have left, not from when a slow target let it leave.

Exit codes: 0 the run finished and every threshold held; 1 it could not run;
2 bad input; 97 the run is invalid (the generator fell behind its schedule);
99 a threshold failed.`,
		Commands: []*cli.Command{runCommand(), scenariosCommand(), sweepCommand(), reportCommand(), gateCommand(), mergeCommand(), targetCommand(), brokerCommand(),
			cliargs.CompletionCommand("loadgen"), cliargs.ManCommand("loadgen")},
		UseShortOptionHandling: false,
		Suggest:                true,
	}
	cliargs.Prepare(app)
	return app
}
