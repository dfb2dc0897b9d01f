// Command chaos is the standalone chaos agent: it kills, pauses and
// restarts processes on the host it runs on, for staging drills, by
// experiment (chaos run) or by hand (chaos kill, chaos pause), shows what a
// selector matches (chaos ls), and serves an HTTP API (chaos serve). It is
// disarmed unless told --arm. See docs/chaos.md and `chaos --help`.
package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/buildinfo"
	"github.com/loadchaos/loadgen/internal/chaos/agent"
	"github.com/loadchaos/loadgen/internal/cliargs"
)

func main() {
	if agent.IsWatchdog() {
		if err := agent.RunWatchdog(os.Stdin, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "chaos watchdog:", err)
			os.Exit(cliargs.ExitCannotRun)
		}
		os.Exit(cliargs.ExitOK)
	}
	cliargs.Main(newApp())
}

func newApp() *cli.App {
	app := &cli.App{
		Name:    "chaos",
		Version: buildinfo.Read().String(),
		Usage:   "a safe process-killing agent for staging drills: kill, pause and restart workers on this host (Linux hosts only)",
		Description: `chaos injects faults into the processes of the host it runs on, on a schedule
(chaos run EXPERIMENT.yaml) or by hand (chaos kill, chaos pause), shows what a
selector matches and why (chaos ls), and serves an HTTP API (chaos serve). Each
action is journaled (JSON lines) with its intent before it acts: give the journal
to "loadgen report BUNDLE --journal FILE" to put the faults on a run's timeline.

It runs on Linux hosts: it finds processes in /proc and signals them through
pidfds. Built for another system, every command that acts or lists says so and
exits 1 (--help, --version, completion and man work anywhere).

` + safetyRules + `
Exit codes: 0 done; 1 it could not run, or an action was refused or failed (see the
journal); 2 bad input (an unknown flag, a bad selector, an invalid experiment:
each problem named with file:line).`,
		Commands: []*cli.Command{runCommand(), killCommand(), pauseCommand(), lsCommand(), serveCommand(),
			cliargs.CompletionCommand("chaos"), cliargs.ManCommand("chaos")},
		Suggest:         true,
		HideHelpCommand: true,
	}
	cliargs.Prepare(app)
	return app
}
