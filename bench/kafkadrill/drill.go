package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/proc"
	"github.com/loadchaos/loadgen/internal/wire"
)

// Config is one drill. A zero field takes the default it states.
type Config struct {
	Loadgen          string        // the loadgen binary; required
	Brokers          []string      // the cluster; required; both topics must exist and be empty
	JobsTopic        string        // default loadgen.jobs
	CompletionsTopic string        // default loadgen.completions
	Group            string        // default drill-<unix time>
	Consumers        int           // consumer processes w1, w2, ...; default 3
	Service          string        // each consumer's --service; default "fixed:5ms"
	Concurrency      int           // each consumer's --concurrency; default 4
	SessionTimeout   time.Duration // each consumer's --session-timeout; default 6s
	Rate             int           // req/s the load offers; default 200
	Duration         time.Duration // of the load; default 30s
	Kind             Kind          // the fault; default KillOne
	FaultAt          time.Duration // after the load starts; default 10s
	// FaultFor is how long the fault lasts before it is undone; zero: at
	// once. KillAll: until new consumers are started; PauseTwo: the pause,
	// which must be longer than SessionTimeout; Broker: from BrokerDown's
	// end to BrokerUp. KillOne has nothing to undo.
	FaultFor   time.Duration
	BrokerDown string        // shell command that takes the broker down; required for Broker
	BrokerUp   string        // shell command that brings it back and returns once it answers; required for Broker
	Drain      time.Duration // most to wait for completions after the load; default 60s
	Out        string        // logs and the run bundle go here; required
	Log        io.Writer     // the commands run and progress; default: discard
}

func (c *Config) setDefaults() error {
	if c.Loadgen == "" || len(c.Brokers) == 0 || c.Out == "" {
		return errors.New("drill: loadgen, brokers and out are required")
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	defD := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Consumers, 3)
	def(&c.Concurrency, 4)
	def(&c.Rate, 200)
	defD(&c.SessionTimeout, 6*time.Second)
	defD(&c.Duration, 30*time.Second)
	defD(&c.FaultAt, 10*time.Second)
	defD(&c.Drain, 60*time.Second)
	if c.Kind == "" {
		c.Kind = KillOne
	}
	if c.JobsTopic == "" {
		c.JobsTopic = "loadgen.jobs"
	}
	if c.CompletionsTopic == "" {
		c.CompletionsTopic = wire.DefaultCompletionsTopic
	}
	if c.Group == "" {
		c.Group = fmt.Sprintf("drill-%d", time.Now().Unix())
	}
	if c.Service == "" {
		c.Service = "fixed:5ms"
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	c.Log = &lockedWriter{w: c.Log} // supervisors write from their goroutines
	var errs []error
	if _, err := parseKind(string(c.Kind)); err != nil {
		errs = append(errs, err)
	}
	if err := kindRefusal(c.Kind, errCannotPause); err != nil {
		errs = append(errs, err)
	}
	if c.Kind.survivorsTakeOver() && c.Consumers < 3 {
		errs = append(errs, fmt.Errorf("%s: at least 3 consumers: w1 (and w2) are hit, another takes over", c.Kind))
	}
	if c.Kind == PauseTwo && c.FaultFor <= c.SessionTimeout {
		errs = append(errs, fmt.Errorf("pause-two: the pause (%v) must be longer than the session timeout (%v)", c.FaultFor, c.SessionTimeout))
	}
	if c.FaultFor < 0 {
		errs = append(errs, fmt.Errorf("fault for %v: must not be negative", c.FaultFor))
	}
	if c.Kind == Broker && (c.BrokerDown == "" || c.BrokerUp == "") {
		errs = append(errs, errors.New("broker: the commands that take the broker down and bring it up are required"))
	}
	if c.FaultAt >= c.Duration {
		errs = append(errs, fmt.Errorf("fault at %v is not within the load's %v", c.FaultAt, c.Duration))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("drill: %w", err)
	}
	return os.MkdirAll(c.Out, 0o755)
}

// drillProfile is the load: rate, duration and drain filled in. The client
// waits longer than the edge's 5 s produce budget, so that a broker that
// does not answer shows as the edge's 503, and the run itself counts an
// accepted job never completed: exit 99.
const drillProfile = `version: 1
description: a drill's load (bench/kafkadrill)
stages: [{shape: constant, rate: %d, for: %v}]
http:
  method: POST
  path: /work
  headers: {Content-Type: application/json}
  body: '{"id":"{{id}}"}'
  timeout: 8s
environment: {drain: %v}
thresholds: ["async.lost == 0"]
`

// Drill runs one drill: cfg.Consumers consumer processes in one group and
// an async edge, all `loadgen target` processes on cfg.Brokers;
// `loadgen run drill.yaml --async-url` offers cfg.Rate for cfg.Duration,
// following every accepted job to its completion; at cfg.FaultAt the fault
// of cfg.Kind is played. Then it waits until every job in the jobs topic is
// completed (at most cfg.Drain after the run), stops the rest and accounts
// for every job.
func Drill(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	if n, err := topicSize(ctx, cfg.Brokers, cfg.JobsTopic); err != nil || n != 0 {
		return nil, fmt.Errorf("drill: jobs topic %s must exist and be empty (a new group would redo old jobs): %d messages, %v", cfg.JobsTopic, n, err)
	}
	seen := &completionLog{}
	stopListen, err := drive.ListenCompletions(ctx, drive.CompletionsConfig{Brokers: cfg.Brokers, Topic: cfg.CompletionsTopic}, seen.add)
	if err != nil {
		return nil, err
	}
	defer stopListen()

	ps, err := newProcs(cfg)
	if err != nil {
		return nil, err
	}
	defer ps.stop()
	brokers := strings.Join(cfg.Brokers, ",")
	// A consumer runs supervised: one that exits on its own is started again.
	startConsumer := func(ctx context.Context, name string) error {
		args := []string{"target", proc.AsyncConsumer, "--brokers", brokers, "--topic", cfg.JobsTopic,
			"--completions-topic", cfg.CompletionsTopic, "--group", cfg.Group, "--worker", name,
			"--session-timeout", cfg.SessionTimeout.String(), "--service", cfg.Service,
			"--concurrency", fmt.Sprint(cfg.Concurrency)}
		if _, err := ps.start(ctx, proc.RoleConsumer, name, args...); err != nil {
			return err
		}
		ps.supervise(name)
		return nil
	}
	var consumers []string
	for i := 1; i <= cfg.Consumers; i++ {
		name := fmt.Sprintf("w%d", i)
		if err := startConsumer(ctx, name); err != nil {
			return nil, err
		}
		consumers = append(consumers, name)
	}
	edge, err := ps.start(ctx, proc.RoleEdge, "edge", "target", proc.AsyncEdge, "--brokers", brokers, "--topic", cfg.JobsTopic, "--listen", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f, victims := newFault(cfg, ps, consumers, startConsumer)

	// The load, as a user would run it: a constant rate of JSON POSTs.
	profile := filepath.Join(cfg.Out, "drill.yaml")
	if err := os.WriteFile(profile, fmt.Appendf(nil, drillProfile, cfg.Rate, cfg.Duration, cfg.Drain), 0o644); err != nil {
		return nil, err
	}
	results := filepath.Join(cfg.Out, "results")
	run := exec.CommandContext(ctx, cfg.Loadgen, "run", profile, "--async-url", "http://"+edge.Addr,
		"--brokers", brokers, "--completions-topic", cfg.CompletionsTopic, "--out", results, "--quiet")
	fmt.Fprintf(cfg.Log, "$ %s\n", strings.Join(run.Args, " "))
	runLog, err := os.Create(filepath.Join(cfg.Out, "run.log"))
	if err != nil {
		return nil, err
	}
	defer runLog.Close()
	run.Stdout, run.Stderr = runLog, runLog
	if err := run.Start(); err != nil {
		return nil, err
	}
	start := time.Now()
	runDone := make(chan error, 1)
	go func() { runDone <- run.Wait() }()
	ran := false
	defer func() {
		if !ran { // the drill failed: the run goes too
			run.Process.Kill()
			<-runDone
		}
	}()

	select {
	case <-time.After(cfg.FaultAt):
	case err := <-runDone:
		ran = true
		return nil, fmt.Errorf("loadgen run ended before the fault: %v (log: %s)", err, runLog.Name())
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	fmt.Fprintf(cfg.Log, "# %s, %v into the load\n", cfg.Kind, cfg.FaultAt)
	times, err := play(ctx, f, cfg.FaultFor)
	if err != nil {
		return nil, fmt.Errorf("drill: %s: %w", cfg.Kind, err)
	}

	res := &Result{Config: cfg, Kind: cfg.Kind, Rate: cfg.Rate, SessionTimeoutS: cfg.SessionTimeout.Seconds()}
	res.RunExit = exitCode(<-runDone)
	ran = true
	ranUntil := time.Now()
	jobs, err := drain(ctx, cfg, ps, seen, ranUntil.Add(cfg.Drain))
	if err != nil {
		return nil, err
	}
	res.DrainS = time.Since(ranUntil).Seconds()
	if err := stopListen(); err != nil {
		fmt.Fprintf(cfg.Log, "completions listener: %v\n", err)
	}
	if len(jobs) == 0 {
		return nil, fmt.Errorf("drill: no job reached the jobs topic (see %s and %s)", runLog.Name(), filepath.Join(cfg.Out, "edge.log"))
	}
	s, err := runSummary(results)
	if err != nil {
		return nil, fmt.Errorf("drill: %w (loadgen run exited %d, log %s)", err, res.RunExit, runLog.Name())
	}
	res.fromSummary(s)
	res.ConsumerExits = ps.exitCounts()
	res.account(jobs, seen.all(), span{
		start: start, fault: times.injected, undoing: times.undoing, undone: times.undone,
		loadEnd: start.Add(cfg.Duration), victims: victims, survivors: cfg.Kind.survivorsTakeOver(),
	})
	return res, nil
}

// drain waits until the group has committed every job in the topic (the
// run has waited for the accepted ones; a job the edge gave up on may be
// in the topic too), stops the processes, reads the jobs and waits until
// the completion of each is in the ledger; all at most until deadline.
func drain(ctx context.Context, cfg Config, ps *procs, seen *completionLog, deadline time.Time) (map[string]job, error) {
	lag := drive.NewLagSampler(cfg.Brokers, cfg.JobsTopic, nil)
	defer lag.Close()
	for {
		n, err := lag.Sample(ctx, cfg.Group)
		if err == nil && n[0] == 0 {
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			fmt.Fprintf(cfg.Log, "drain: the group still lags by %v (%v) after %v\n", n, err, cfg.Drain)
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	ps.stop()
	jobs, err := readJobs(ctx, cfg.Brokers, cfg.JobsTopic)
	if err != nil {
		return nil, err
	}
	jl := newJobLedger(jobs)
	for recorded := 0; ; {
		cs := seen.since(recorded)
		recorded += len(cs)
		for _, c := range cs {
			jl.complete(c)
		}
		if jl.led.Pending() == 0 || !time.Now().Before(deadline) || ctx.Err() != nil {
			return jobs, nil
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// runSummary reads the summary of the run's one bundle in results, with
// its ledger of accepted jobs: not results/latest, which a run that met a
// read error (the broker was down) leaves alone.
func runSummary(results string) (*bundle.Summary, error) {
	summaries, _ := filepath.Glob(filepath.Join(results, "*", "summary.json"))
	summaries = slices.DeleteFunc(summaries, func(p string) bool { return filepath.Base(filepath.Dir(p)) == "latest" })
	if len(summaries) != 1 {
		return nil, fmt.Errorf("%d run summaries in %s, want 1", len(summaries), results)
	}
	s, err := bundle.ReadSummary(summaries[0])
	if err != nil {
		return nil, fmt.Errorf("the run's summary: %w", err)
	}
	if s.Async == nil || s.Async.Lost == nil {
		return nil, fmt.Errorf("%s: no ledger of accepted jobs", summaries[0])
	}
	return s, nil
}

// newFault builds the fault of cfg.Kind on the drill's consumers, and names
// the workers it hits.
func newFault(cfg Config, ps *procs, consumers []string, startConsumer func(context.Context, string) error) (fault, map[string]bool) {
	victims := map[string]bool{}
	hit := func(names []string) []string {
		for _, n := range names {
			victims[n] = true
		}
		return names
	}
	switch cfg.Kind {
	case KillAll:
		restart := func(ctx context.Context) error {
			for i := range consumers {
				if err := startConsumer(ctx, fmt.Sprintf("w%d", len(consumers)+i+1)); err != nil {
					return err
				}
			}
			return nil
		}
		return &restartFault{kill: killFault{victims: hit(consumers), ps: ps}, restart: restart}, victims
	case PauseTwo:
		return &pauseFault{victims: hit(consumers[:2]), ps: ps}, victims
	case Broker:
		return &commandFault{down: cfg.BrokerDown, up: cfg.BrokerUp, log: cfg.Log}, victims
	}
	return &killFault{victims: hit(consumers[:1]), ps: ps}, victims
}

// lockedWriter lets goroutines share a writer, a line at a time.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// exitCode is a finished command's exit code, -1 if it did not exit.
func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	return -1
}
