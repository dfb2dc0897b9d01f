package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/chaos/agent"
	"github.com/loadchaos/loadgen/internal/cliargs"
)

func killCommand() *cli.Command {
	return &cli.Command{
		Name:  "kill",
		Usage: "signal what a selector picks, now (SIGKILL by default)",
		Description: `Sends --signal to --count (1), --percent or --all of the processes --select matches.
With --restart, it waits for each to exit (SIGKILL after --grace) and, --for later,
runs the command to bring the worker back, its output journaled.

Examples:
  chaos kill --select 'exe=loadgen,role=consumer' --arm
  chaos kill --select registry=results/latest/procs,role=backend --signal SIGTERM --arm
  chaos kill --select pidfile=/run/worker.pid --allow-last --restart 'systemctl start worker' --for 10s --arm

` + seeSafetyRules,
		Flags: append([]cli.Flag{selectFlag(), armFlag(), journalFlag(),
			&cli.StringFlag{Name: "signal", Value: "SIGKILL", Usage: "the `SIGNAL` to send (name or number)", EnvVars: []string{"CHAOS_SIGNAL"}},
			&cli.StringFlag{Name: "restart", Usage: "`COMMAND` that brings a worker back once it has exited ({{.Name}}, {{.PID}}, ... filled in; no shell)", EnvVars: []string{"CHAOS_RESTART"}},
			&cli.DurationFlag{Name: "for", Usage: "with --restart (required there): run the command `D` after the kill", DefaultText: "none", EnvVars: []string{"CHAOS_FOR"}},
			&cli.DurationFlag{Name: "grace", Value: agent.DefaultRestartGrace, Usage: "with --restart: SIGKILL a process still running `D` after the signal", EnvVars: []string{"CHAOS_GRACE"}},
			&cli.DurationFlag{Name: "timeout", Value: agent.DefaultCommandTimeout, Usage: "with --restart: kill the command after `D`", EnvVars: []string{"CHAOS_TIMEOUT"}},
			deadlineFlag("halt after `D` whatever is left", "--for plus 1m"),
		}, radiusFlags()...),
		Action: func(c *cli.Context) error {
			pick, err := hostPick(c)
			if err != nil {
				return err
			}
			sig, ok := agent.ParseSignal(c.String("signal"))
			if !ok {
				return cliargs.BadInput(fmt.Errorf("--signal %q: not a signal", c.String("signal")))
			}
			if agent.StopsOrContinues(sig) {
				return cliargs.BadInput(errors.New("--signal: use chaos pause, which resumes what it stops"))
			}
			var fault chaos.Fault = agent.Signal{Sig: sig}
			if text := c.String("restart"); text != "" {
				if c.Duration("for") <= 0 {
					return cliargs.BadInput(errors.New("--restart needs --for: how long the worker stays down"))
				}
				cmd, err := agent.ParseCommand(text, c.Duration("timeout"))
				if err != nil {
					return cliargs.BadInput(fmt.Errorf("--restart: %w", err))
				}
				fault = agent.Restart{Sig: sig, Grace: c.Duration("grace"), Command: cmd}
			} else if c.IsSet("for") {
				return cliargs.BadInput(errors.New("--for needs --restart: a kill has nothing else to undo"))
			}
			return playOne(c, "kill", fault, pick, c.Duration("for"))
		},
	}
}

func pauseCommand() *cli.Command {
	return &cli.Command{
		Name:  "pause",
		Usage: "freeze what a selector picks (SIGSTOP) for a while, then resume it (SIGCONT)",
		Description: `Freezes --count (1), --percent or --all of the processes --select matches for --for,
as a long GC pause or a stalled VM would, then resumes them. Ctrl-C resumes them at
once; so does the watchdog if the agent is killed.

Example:
  chaos pause --select 'exe=loadgen,role=consumer' --for 20s --arm

` + seeSafetyRules,
		Flags: append([]cli.Flag{selectFlag(), armFlag(), journalFlag(),
			&cli.DurationFlag{Name: "for", Usage: "resume after `D` (required)", DefaultText: "none", EnvVars: []string{"CHAOS_FOR"}},
			deadlineFlag("halt after `D`, resuming early", "--for plus 1m"),
		}, radiusFlags()...),
		Action: func(c *cli.Context) error {
			pick, err := hostPick(c)
			if err != nil {
				return err
			}
			if !c.IsSet("for") || c.Duration("for") <= 0 {
				return cliargs.BadInput(fmt.Errorf("--for is required and must be positive, got %v", c.Duration("for")))
			}
			return playOne(c, "pause", chaos.Pause{}, pick, c.Duration("for"))
		},
	}
}

// playOne plays a one-action experiment that fires at once.
func playOne(c *cli.Context, name string, fault chaos.Fault, pick agent.HostPick, hold time.Duration) error {
	if c.IsSet("deadline") && c.Duration("deadline") <= 0 {
		return cliargs.BadInput(fmt.Errorf("--deadline %v: must be positive", c.Duration("deadline")))
	}
	exp := &agent.Experiment{Name: name, Deadline: hold + time.Minute, Actions: []agent.Action{{
		Name: name, Fault: fault, Select: &pick, For: hold, Schedule: agent.Schedule{At: []time.Duration{0}},
	}}}
	return play(c, exp, 0)
}
