package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/chaos/agent"
	"github.com/loadchaos/loadgen/internal/chaos/blast"
	"github.com/loadchaos/loadgen/internal/cliargs"
)

func armFlag() cli.Flag {
	return &cli.BoolFlag{Name: "arm", Usage: "act: signal and run commands; without it, a dry run that journals what it would do", EnvVars: []string{"CHAOS_ARM"}}
}

func journalFlag() cli.Flag {
	return &cli.StringFlag{Name: "journal", Usage: "write the journal (JSON lines) to `FILE`, which must not exist", DefaultText: "chaos-TIME-PID.jsonl here", EnvVars: []string{"CHAOS_JOURNAL"}}
}

func deadlineFlag(usage, defaultText string) cli.Flag {
	return &cli.DurationFlag{Name: "deadline", Usage: usage, DefaultText: defaultText, EnvVars: []string{"CHAOS_DEADLINE"}}
}

func selectFlag() cli.Flag {
	return &cli.StringFlag{Name: "select", Aliases: []string{"s"}, EnvVars: []string{"CHAOS_SELECT"},
		Usage: "`SELECTOR` (required): comma-separated terms that must all hold: cmdline=REGEX, exe=NAME, pid=N, pidfile=PATH, registry=DIR, cgroup=PATH, role=R, group=G, name=N"}
}

// radiusFlags are the blast radius and the limits of a picking command.
func radiusFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: "count", Usage: "hit `N` of the matches", DefaultText: "1", EnvVars: []string{"CHAOS_COUNT"}},
		&cli.Float64Flag{Name: "percent", Usage: "hit `P` percent of the matches, rounded up", DefaultText: "none", EnvVars: []string{"CHAOS_PERCENT"}},
		&cli.BoolFlag{Name: "all", Usage: "hit every match", EnvVars: []string{"CHAOS_ALL"}},
		&cli.BoolFlag{Name: "allow-last", Usage: "allow taking down the last live member of a peer group", EnvVars: []string{"CHAOS_ALLOW_LAST"}},
		&cli.IntFlag{Name: "max-matches", Value: agent.DefaultMaxMatches, Usage: "refuse a selector matching more than `N` processes", EnvVars: []string{"CHAOS_MAX_MATCHES"}},
	}
}

// hostPick reads --select and the radius flags.
func hostPick(c *cli.Context) (agent.HostPick, error) {
	if !c.IsSet("select") {
		return agent.HostPick{}, cliargs.BadInput(errors.New("--select is required: say which processes"))
	}
	sel, err := agent.ParseHostSelector(c.String("select"))
	if err != nil {
		return agent.HostPick{}, cliargs.BadInput(fmt.Errorf("--select: %w", err))
	}
	pick := agent.HostPick{Select: sel, MaxMatches: c.Int("max-matches"), AllowLast: c.Bool("allow-last"),
		Radius: blast.Radius{Count: c.Int("count"), Percent: c.Float64("percent"), All: c.Bool("all")}}
	var problems []error
	for _, p := range pick.Radius.Validate(c.IsSet) {
		problems = append(problems, fmt.Errorf("--%s: %s", p.Field, p.Reason))
	}
	if pick.MaxMatches < 1 {
		problems = append(problems, fmt.Errorf("--max-matches %d: must be at least 1", pick.MaxMatches))
	}
	if len(problems) > 0 {
		return pick, cliargs.BadInput(errors.Join(problems...))
	}
	return pick, nil
}

// journalPath is where the journal goes (--journal), refused when a file
// is there already: a journal is the record of a drill, never overwritten.
func journalPath(c *cli.Context) (string, error) {
	path := c.String("journal")
	if path == "" {
		path = fmt.Sprintf("chaos-%s-%d.jsonl", time.Now().UTC().Format("20060102-150405"), os.Getpid())
	}
	if _, err := os.Lstat(path); err == nil {
		return "", journalExists(path)
	}
	return path, nil
}

func journalExists(path string) error {
	return cliargs.BadInput(fmt.Errorf("--journal %s exists; a journal is never overwritten: give another file", path))
}

// openJournal creates the journal file at path, unless a file is there.
func openJournal(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, journalExists(path)
	}
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	return f, nil
}

// signalContext is done at the first SIGINT, SIGTERM or SIGHUP, which
// halts the agent; a second one ends it at once (the watchdog then resumes
// what is paused). Its stop function returns once nothing more is printed.
func signalContext(parent context.Context, out io.Writer) (context.Context, func()) {
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	finished, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		select {
		case <-ctx.Done():
		case <-finished:
			return
		}
		stop()
		select {
		case <-finished:
		default:
			if parent.Err() == nil {
				fmt.Fprintln(out, "chaos: halting: undoing every fault in force (signal again to quit at once)")
			}
		}
	}()
	return ctx, func() {
		close(finished)
		stop()
		<-exited
	}
}

// announce says whether the agent is armed, before it does anything.
func announce(w io.Writer, armed bool, journal string) {
	if armed {
		fmt.Fprintf(w, "chaos: ARMED: faults will be injected; journal %s\n", journal)
		return
	}
	fmt.Fprintf(w, "chaos: disarmed (dry run): nothing will be signalled, the journal says what would be; add --arm to act; journal %s\n", journal)
}

// echo prints journal entries for a person.
func echo(w io.Writer) func(chaos.Entry) {
	return func(e chaos.Entry) {
		var b strings.Builder
		fmt.Fprintf(&b, "%8.3fs ", e.TS)
		if e.DryRun {
			b.WriteString("[dry run] ")
		}
		fmt.Fprintf(&b, "%-6s %-9s %s", e.Stage, e.Action, e.Target)
		if e.PID != 0 {
			fmt.Fprintf(&b, " (pid %d)", e.PID)
		}
		if e.Seed != 0 {
			fmt.Fprintf(&b, " seed %d", e.Seed)
		}
		if e.Command != "" {
			fmt.Fprintf(&b, ": %s", e.Command)
		}
		if e.Error != "" {
			fmt.Fprintf(&b, ": %s", e.Error)
		}
		if e.Output != "" {
			fmt.Fprintf(&b, "\n          output: %s", strings.ReplaceAll(e.Output, "\n", "\n          "))
		}
		fmt.Fprintln(w, b.String())
	}
}

// play runs an experiment the way run, kill and pause do, once the input
// is known to be good and the host to be one the agent runs on.
func play(c *cli.Context, exp *agent.Experiment, seed uint64) error {
	path, err := journalPath(c)
	if err != nil {
		return err
	}
	if err := agent.Supported(); err != nil {
		return err
	}
	f, err := openJournal(path)
	if err != nil {
		return err
	}
	defer f.Close()
	out := c.App.Writer
	announce(out, c.Bool("arm"), f.Name())
	ctx, stop := signalContext(c.Context, out)
	defer stop()
	report, err := agent.RunExperiment(ctx, exp, agent.AgentOptions{Arm: c.Bool("arm"), Seed: seed, Deadline: c.Duration("deadline"),
		Journal: f, Echo: echo(out)})
	targets := 0
	for _, inj := range report.Injected {
		targets += len(inj.Targets)
	}
	fmt.Fprintf(out, "chaos: %d events, %d targets hit, %d failures; halted: %s; journal %s\n",
		len(report.Injected), targets, report.Failures, report.Halted, f.Name())
	if err := errors.Join(err, f.Sync(), f.Close()); err != nil {
		return err
	}
	if report.Failures > 0 {
		return fmt.Errorf("%d actions were refused or failed: see the journal %s", report.Failures, f.Name())
	}
	return nil
}
