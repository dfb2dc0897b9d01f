package agent

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos"
)

// AgentOptions says how the standalone agent plays an experiment.
type AgentOptions struct {
	// Arm makes it act. Disarmed (the default) it journals what it would do
	// with dry_run: true and signals nothing.
	Arm bool
	// Seed overrides the experiment's seed; with neither, one is drawn. The
	// journal's start entry records the seed used.
	Seed uint64
	// Deadline overrides the experiment's when positive.
	Deadline time.Duration
	// Journal receives the journal's JSON lines; Echo, if set, sees each entry too.
	Journal io.Writer
	Echo    func(chaos.Entry)
}

// Report is what an experiment did.
type Report struct {
	Seed     uint64
	Injected []chaos.Injected
	Failures int    // selections refused, injections and undos that failed
	Halted   string // why it stopped: done, deadline, interrupted, or the probe's failure
}

// RunExperiment plays exp on this host: every event at its time, until the
// events are done and their timed faults undone, the deadline passes, ctx
// is done (Ctrl-C, SIGTERM) or the steady-state probe fails. Then it halts:
// every fault still in force is undone (paused processes resume, restart
// commands run), and the watchdog, which would have resumed them had the
// agent been killed, stops. The error wraps ErrProbeFailed when the probe
// aborted the experiment, or is the journal's first write error.
func RunExperiment(ctx context.Context, exp *Experiment, opts AgentOptions) (*Report, error) {
	seed := opts.Seed
	if seed == 0 {
		seed = exp.Seed
	}
	if seed == 0 {
		seed = rand.Uint64N(1<<53) + 1 // fits a JSON number exactly
	}
	deadline := exp.Deadline
	if opts.Deadline > 0 {
		deadline = opts.Deadline
	}
	start := time.Now()
	journal := chaos.NewJournal(opts.Journal, start)
	if opts.Echo != nil {
		journal.Echo(opts.Echo)
	}
	journal.Write(chaos.Entry{Stage: chaos.StageStart, Action: "experiment", Target: exp.Name, Name: exp.Name, Seed: seed, DryRun: !opts.Arm})

	host := NewHost()
	runnerOpts := []chaos.RunnerOption{}
	if !opts.Arm {
		runnerOpts = append(runnerOpts, chaos.Disarmed())
	}
	if exp.Probe != nil {
		runnerOpts = append(runnerOpts, chaos.WithProbe(exp.Probe))
	}
	r := chaos.NewRunner(host, journal, seed, runnerOpts...)
	runCtx, cancel := context.WithDeadline(ctx, start.Add(deadline))
	defer cancel()
	err := r.Run(runCtx, start, exp.Events(host, seed))
	if err == nil {
		r.Settle(runCtx)
	}
	report := &Report{Seed: seed, Halted: "done"}
	switch {
	case err != nil:
		report.Halted = err.Error()
	case ctx.Err() != nil:
		report.Halted = "interrupted"
	case runCtx.Err() != nil:
		report.Halted = "deadline"
	}
	halt := chaos.Entry{Stage: chaos.StageHalt, Action: "halt", Target: exp.Name, Name: exp.Name, DryRun: !opts.Arm}
	if report.Halted != "done" {
		halt.Error = report.Halted
	}
	journal.Write(halt)
	r.Halt()
	report.Injected, report.Failures = r.Injected(), r.Failures()
	return report, errors.Join(err, host.Close(), journal.Err())
}
