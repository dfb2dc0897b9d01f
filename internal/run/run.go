package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/gate"
	"github.com/loadchaos/loadgen/internal/hist"
	"github.com/loadchaos/loadgen/internal/phases"
	"github.com/loadchaos/loadgen/internal/report"
	"github.com/loadchaos/loadgen/profiles"
)

// Options is one run's configuration, gathered from the command line.
type Options struct {
	Profile *profiles.Profile // the load; its seed is chosen here when zero

	SyncURL  string   // an HTTP service answering when the work is done
	AsyncURL string   // an HTTP edge answering 202 once it has accepted the work
	Topic    string   // a Kafka topic to produce to directly, as the async target
	Brokers  []string // the Kafka cluster for Topic, CompletionsTopic, or the embedded drill's workers

	// CompletionsTopic is where the async target reports finished work
	// (messages carrying the loadgen-id header): read, it gives end-to-end
	// latency and the ledger of lost and duplicated messages.
	CompletionsTopic string
	// Replication is the replication factor of topics the embedded drill
	// creates on Brokers; default 1.
	Replication int
	// KafkaAuth is how every Kafka client of the run connects: TLS, SASL.
	KafkaAuth drive.KafkaAuth

	// ClosedLoop replaces the schedule by Connections workers that each
	// send again as soon as they have an answer: a capacity test. Latency is
	// then from the actual send, and nothing can be late.
	ClosedLoop  bool
	Connections int

	Out string // results root; the bundle goes into Out/<run id>

	// Binary is the executable started as the embedded drill's worker
	// processes (`BINARY target ...`); default: this process's own.
	Binary string

	// MetricsAddr, when set, serves live Prometheus metrics on that
	// address (/metrics) for the length of the run.
	MetricsAddr string

	kafka *drive.KafkaConn // KafkaAuth, connected

	Progress io.Writer // where progress lines go; nil for none
	Terminal bool      // Progress is a terminal: rewrite one line in place
}

// Result is a finished (or interrupted) run.
type Result struct {
	Summary *bundle.Summary
	Dir     string
}

// SetupError is a failure before any load was sent: a target that does not
// answer, a bundle directory that cannot be made.
type SetupError struct{ Err error }

func (e *SetupError) Error() string { return e.Err.Error() }
func (e *SetupError) Unwrap() error { return e.Err }

// startDelay gives the pacers and collectors time to start before the first
// request is due.
const startDelay = 100 * time.Millisecond

// interruptedDrain bounds the drain after an interruption: the user asked to stop.
const interruptedDrain = 2 * time.Second

// Run drives the targets with the profile's load and writes the bundle.
// With no target in opts it first brings up the embedded drill (broker,
// edges, worker processes) and plays the profile's chaos on it. When ctx is
// cancelled the load stops, the run drains briefly and writes a bundle
// marked partial. The returned error is a *SetupError when nothing could be
// sent.
func Run(ctx context.Context, opts Options) (*Result, error) {
	prof := opts.Profile
	if prof.Seed == 0 {
		prof.Seed = rand.Uint64N(1<<53) + 1 // fits a JSON number exactly
	}
	conn, err := opts.KafkaAuth.Connect()
	if err != nil {
		return nil, &SetupError{err}
	}
	opts.kafka = conn
	started := time.Now()
	runID := bundle.NewRunID(started)
	var b *bundle.Bundle
	var env *environment
	if opts.embedded() {
		if b, err = bundle.Create(opts.Out, runID); err != nil {
			return nil, &SetupError{err}
		}
		if env, err = startEnvironment(ctx, prof, opts, b); err != nil {
			return nil, &SetupError{fmt.Errorf("embedded environment: %w", err)}
		}
		defer env.stop()
		if len(opts.Brokers) == 0 {
			opts.kafka = drive.Plain()
		}
		opts.SyncURL, opts.AsyncURL, opts.Brokers = env.syncURL, env.asyncURL, env.brokers
		opts.Profile = embeddedRequests(prof)
	}
	paths, err := newPaths(opts)
	if err != nil {
		return nil, &SetupError{err}
	}
	defer func() {
		for _, p := range paths {
			p.driver.Close()
		}
	}()
	for _, p := range paths {
		if err := p.driver.Check(ctx); err != nil {
			return nil, &SetupError{err}
		}
	}
	if b == nil {
		if b, err = bundle.Create(opts.Out, runID); err != nil {
			return nil, &SetupError{err}
		}
	}
	s := &session{opts: opts, prof: prof, runID: runID, b: b, env: env, paths: paths, start: time.Now().Add(startDelay)}
	if err := s.prepare(ctx); err != nil {
		return nil, &SetupError{err}
	}
	return s.run(ctx)
}

// embedded reports whether the options name no target of their own: then
// the run brings up the drill (on Brokers, when given).
func (o Options) embedded() bool { return o.SyncURL == "" && o.AsyncURL == "" && o.Topic == "" }

// session is one run once its targets answer.
type session struct {
	opts  Options
	prof  *profiles.Profile
	runID string
	b     *bundle.Bundle
	env   *environment // nil unless embedded
	paths []*path
	start time.Time

	tlFile      *bundle.File
	tl          *timeline
	offered     []int64
	comps       *completions // nil when no completions are read
	journalFile *bundle.File
	chaos       *chaos.Runner
}

// prepare opens the bundle's streams and starts the collectors and the
// completions listener, before any request is sent.
func (s *session) prepare(ctx context.Context) error {
	var err error
	if s.tlFile, err = s.b.Create(bundle.TimelineFile); err != nil {
		return err
	}
	s.tl = newTimeline(s.tlFile)
	if !s.opts.ClosedLoop {
		s.offered = offeredPerSecond(s.prof.Shape(), s.prof.Duration)
	}
	for _, p := range s.paths {
		if err := p.open(s.b, s.start, s.runID, func(iv *hist.Interval) error {
			if err := p.log.Write(iv); err != nil {
				return err
			}
			return s.tl.second(p.name, "", s.offered, p.missed, iv)
		}); err != nil {
			return err
		}
	}
	if !s.opts.ClosedLoop {
		for _, p := range s.paths {
			p.prepareSchedule(ctx, s.prof.Shape(), s.prof.Duration, s.start, s.prof.Limits)
		}
	}
	if s.env == nil && s.opts.CompletionsTopic == "" {
		return nil
	}
	var capacity uint64 = closedLoopLedger
	if s.offered != nil {
		capacity = 0
		for _, n := range s.offered {
			capacity += uint64(n)
		}
	}
	cfg := completionsConfig{brokers: s.opts.Brokers, conn: s.opts.kafka, topic: s.opts.CompletionsTopic, groups: []string{"output"},
		capacity: capacity, stallAfter: 3 * s.prof.Environment.SessionTimeout}
	if s.env != nil {
		cfg.topic, cfg.jobs, cfg.groups = completionsTopic, jobsTopic, s.env.groups
	}
	async := s.asyncPath()
	if async == nil {
		return errors.New("--completions-topic needs an async target (--async-url or --topic)")
	}
	if s.comps, err = startCompletions(ctx, s.b, s.tl, s.start, async.idPrefix, cfg); err != nil {
		return err
	}
	async.onAccept = s.comps.accept
	if s.env != nil && len(s.prof.Chaos) > 0 {
		if s.journalFile, err = s.b.Create(bundle.JournalFile); err != nil {
			return err
		}
		s.chaos = chaos.NewRunner(workers{s.env.sup}, chaos.NewJournal(s.journalFile, s.start), s.prof.Seed)
	}
	return nil
}

// closedLoopLedger sizes the ledgers of a closed-loop run, whose request
// count is not known in advance; ids beyond it are counted as untracked.
const closedLoopLedger = 1 << 24

func (s *session) asyncPath() *path {
	for _, p := range s.paths {
		if p.name == "async" {
			return p
		}
	}
	return nil
}

// run plays the load (and chaos), drains, and writes the bundle.
func (s *session) run(ctx context.Context) (*Result, error) {
	collectCtx, stopCollecting := context.WithCancel(context.Background())
	defer stopCollecting()
	for _, p := range s.paths {
		go p.collector.Run(collectCtx)
	}
	if s.opts.MetricsAddr != "" {
		addr, err := s.serveMetrics(collectCtx, s.opts.MetricsAddr)
		if err != nil {
			return nil, &SetupError{err}
		}
		if s.opts.Progress != nil {
			fmt.Fprintf(s.opts.Progress, "metrics: http://%s/metrics\n", addr)
		}
	}
	stopProgress, progressDone := s.startProgress()

	loadCtx, stopLoad := context.WithDeadline(ctx, s.start.Add(s.prof.Duration))
	defer stopLoad()
	chaosDone := make(chan struct{})
	if s.chaos != nil {
		go func() { s.chaos.Run(loadCtx, s.start, chaosEvents(s.prof.Chaos)); close(chaosDone) }()
	} else {
		close(chaosDone)
	}
	var wg sync.WaitGroup
	for _, p := range s.paths {
		wg.Go(func() {
			if s.opts.ClosedLoop {
				p.closedLoop(loadCtx, s.start, s.opts.Connections)
			} else {
				p.lag = p.pacer.Run(loadCtx)
			}
		})
	}
	wg.Wait()
	loadEnded := time.Now()
	interrupted := ctx.Err() != nil
	if s.chaos != nil {
		s.chaos.Halt() // restart and resume what is still down, so the drain can finish
		<-chaosDone
	}
	for _, p := range s.paths {
		bound := p.timeout + time.Second
		if interrupted {
			bound = interruptedDrain
		}
		p.drain(bound)
	}
	drainS := s.drainCompletions(ctx, interrupted)
	if s.chaos != nil && !interrupted {
		s.watchRecovery(ctx)
	}
	close(stopProgress)
	<-progressDone
	return s.write(loadEnded, interrupted, drainS)
}

// drainCompletions waits until every accepted message is completed by every
// group, at most the environment's drain bound (briefly when interrupted).
func (s *session) drainCompletions(ctx context.Context, interrupted bool) float64 {
	if s.comps == nil {
		return 0
	}
	bound := s.prof.Environment.Drain
	if interrupted {
		bound = interruptedDrain
	}
	began := time.Now()
	deadline := time.After(bound)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for s.comps.pending() > 0 {
		select {
		case <-deadline:
			return time.Since(began).Seconds()
		case <-tick.C:
		}
	}
	return time.Since(began).Seconds()
}

// watchRecovery keeps sampling lag a little after the drain, so that the
// timeline shows the system settled back (or not) long enough for phases
// to tell when it recovered: the backlog of a fault often drains only after
// the load has ended.
func (s *session) watchRecovery(ctx context.Context) {
	select {
	case <-time.After(time.Duration(phases.RecoveredAfter+1) * time.Second):
	case <-ctx.Done():
	}
}

// write finishes every stream and writes the summary, the profile and the
// phases; every step is tried, and every failure returned.
func (s *session) write(loadEnded time.Time, interrupted bool, drainS float64) (*Result, error) {
	var errs []error
	for _, p := range s.paths {
		errs = append(errs, p.finish())
	}
	if s.comps != nil {
		errs = append(errs, s.comps.finish())
	}
	ended := time.Now()
	errs = append(errs, s.tlFile.Commit())
	if s.journalFile != nil {
		errs = append(errs, s.journalFile.Commit())
	}
	summary := summarize(s.opts, s.runID, s.start, loadEnded.Sub(s.start), interrupted, s.paths)
	if s.comps != nil && summary.Async != nil {
		s.comps.summarize(summary.Async)
		d := round(drainS, 3)
		summary.Async.DrainS = &d
	}
	analysis, err := phases.Analyze(s.b.Dir, filepath.Join(s.b.Dir, bundle.JournalFile), s.start,
		loadEnded.Sub(s.start).Seconds(), ended.Sub(s.start).Seconds())
	if err == nil {
		summary.Phases, summary.Chaos = analysis.Phases, analysis.Chaos
	}
	errs = append(errs, err)
	if summary.Thresholds, err = gate.Check(summary, s.prof.Thresholds); err != nil {
		errs = append(errs, err)
		summary.Thresholds = []bundle.Threshold{}
	}
	errs = append(errs, s.b.WriteFile(bundle.ProfileFile, func(w io.Writer) error {
		data, err := s.prof.YAML()
		if err == nil {
			_, err = w.Write(data)
		}
		return err
	}))
	errs = append(errs, s.b.WriteFile(bundle.SummaryFile, summary.Encode))
	errs = append(errs, s.b.WriteFile(bundle.ReportHTMLFile, func(w io.Writer) error { return report.HTML(w, s.b.Dir) }))
	errs = append(errs, s.b.LinkLatest())
	return &Result{Summary: summary, Dir: s.b.Dir}, errors.Join(errs...)
}

func (s *session) startProgress() (stop chan struct{}, done chan struct{}) {
	stop, done = make(chan struct{}), make(chan struct{})
	if s.opts.Progress == nil {
		close(done)
		return stop, done
	}
	pr := &progress{w: s.opts.Progress, terminal: s.opts.Terminal, start: s.start, total: s.prof.Duration, paths: s.paths, comps: s.comps}
	go func() { pr.run(stop); close(done) }()
	return stop, done
}
