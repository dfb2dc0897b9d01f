package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/gate"
	"github.com/loadchaos/loadgen/internal/hist"
	"github.com/loadchaos/loadgen/internal/pace"
	"github.com/loadchaos/loadgen/internal/phases"
	"github.com/loadchaos/loadgen/internal/report"
	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/profiles"
)

// Options is one run's configuration, gathered from the command line. Run
// reads them, and their Profile, without changing either: what it derives
// from them it keeps in its own plan.
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
	// LagGroups are the user's own consumer groups whose lag on LagTopic
	// the run samples once a second (--lag-group), on Brokers; they need a
	// target of the user's own. LagTopic defaults to Topic.
	LagGroups []string
	LagTopic  string
	// Replication is the replication factor of topics the embedded drill
	// creates on Brokers; default 1.
	Replication int
	// KafkaAuth is how every Kafka client of the run connects: TLS, SASL.
	KafkaAuth wire.KafkaAuth

	// ClosedLoop replaces the schedule by Connections workers that each
	// send again as soon as they have an answer: a capacity test. Latency is
	// then from the actual send, and nothing can be late.
	ClosedLoop  bool
	Connections int

	Out string // results root; the bundle goes into Out/<run id>

	// Segment is this generator's share of a schedule split across
	// several generators (--segment I/N); the zero value is all of it.
	Segment pace.Segment
	// StartAt is when the schedule's offset 0 is (--start-at), so that
	// every segment starts at one instant; zero: as soon as the targets
	// answer. A run ready after it counts what is past as late.
	StartAt time.Time
	// RunID names the run (--run-id): every segment of one run has the
	// same. Empty: derived (see runIDOf).
	RunID string

	// Binary is the executable started as the embedded drill's worker
	// processes (`BINARY target ...`); default: this process's own.
	Binary string

	// MetricsAddr, when set, serves live Prometheus metrics on that
	// address (/metrics) for the length of the run.
	MetricsAddr string
	// MetricsPush, when set, is a Pushgateway URL the metrics are pushed
	// to every MetricsPushInterval (default 10 s) and once at the end,
	// grouped by run id (and segment): a CI run is shorter than a scrape
	// interval. A failed push is a warning on Notices, never a failure.
	MetricsPush         string
	MetricsPushInterval time.Duration

	Progress io.Writer // where progress lines go; nil for none
	Terminal bool      // Progress is a terminal: rewrite one line in place
	// Notices is told when the run hears ctx cancelled, and what it then
	// does (a partial bundle, or the bundle of a run already over); nil
	// for nowhere.
	Notices io.Writer
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
// cancelled the load stops, or the drain, which then waits at most
// interruptedDrain more, and the run writes a bundle marked partial. The
// returned error is an *InputError for a mistake in opts, found before
// anything is written, and a *SetupError when nothing could be sent. A
// Result comes back whenever a bundle was written, with an error when
// some of it could not be: then results/latest still points at the bundle
// before.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, &InputError{err}
	}
	runID := runIDOf(opts, time.Now())
	pl, err := newPlan(opts, runID)
	var input *InputError
	switch {
	case errors.As(err, &input):
		return nil, input
	case err != nil:
		return nil, &SetupError{err}
	}
	var b *bundle.Bundle
	var env *environment
	tg := pl.ownTargets()
	if opts.embedded() {
		if b, err = bundle.Create(opts.Out, bundleName(runID, opts.Segment)); err != nil {
			return nil, &SetupError{err}
		}
		if env, err = startEnvironment(ctx, pl, b); err != nil {
			return nil, &SetupError{fmt.Errorf("embedded environment: %w", err)}
		}
		defer env.stop()
		tg = pl.embeddedTargets(env)
	}
	paths, err := newPaths(pl, tg)
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
		if b, err = bundle.Create(opts.Out, bundleName(runID, opts.Segment)); err != nil {
			return nil, &SetupError{err}
		}
	}
	start := opts.StartAt
	if start.IsZero() {
		start = time.Now().Add(startDelay)
	}
	s := &session{plan: pl, tg: tg, runID: runID, b: b, env: env, paths: paths, start: start}
	if err := s.prepare(ctx); err != nil {
		return nil, &SetupError{err}
	}
	return s.run(ctx)
}

// embedded reports whether the options name no target of their own: then
// the run brings up the drill (on Brokers, when given).
func (o Options) embedded() bool { return o.SyncURL == "" && o.AsyncURL == "" && o.Topic == "" }

// session is one run once its targets answer. Its plan and targets are
// fixed before it starts.
type session struct {
	*plan
	tg    targets
	runID string
	b     *bundle.Bundle
	env   *environment // nil unless embedded
	paths []*path
	start time.Time
	// ready is when the session was ready to send: after start when
	// the run came up late for a --start-at.
	ready time.Time

	tlFile      *bundle.File
	tl          *timeline
	offered     *offered     // nil in closed-loop mode
	comps       *completions // nil when no completions are read
	userLag     *lagWatch    // the user's own groups (--lag-group); nil for none
	tiers       *tierWatch   // the embedded sync chain's tiers; nil unless embedded
	journalFile *bundle.File
	chaos       *chaos.Runner
	chaosEvents []chaos.Event
	metrics     *metrics // nil unless served or pushed
}

// prepare opens the bundle's streams and starts the collectors and the
// completions listener, before any request is sent.
func (s *session) prepare(ctx context.Context) error {
	var err error
	if s.tlFile, err = s.b.Create(bundle.TimelineFile); err != nil {
		return err
	}
	s.tl = newTimeline(s.tlFile)
	if s.opts.MetricsAddr != "" || s.opts.MetricsPush != "" {
		s.metrics = newMetrics()
		s.tl.observe = s.metrics.observe
	}
	if !s.opts.ClosedLoop {
		s.offered = newOffered(s.shape, s.prof.Duration, s.opts.Segment)
	}
	for _, p := range s.paths {
		if err := p.open(s.b, s.start, s.runID, func(iv *hist.Interval) error {
			if err := p.writeInterval(iv); err != nil {
				return err
			}
			return s.tl.second(p.name, "", s.offered, p.missed, iv)
		}); err != nil {
			return err
		}
	}
	if !s.opts.ClosedLoop {
		for _, p := range s.paths {
			p.prepareSchedule(ctx, s.shape, s.prof.Duration, s.start, s.prof.Limits, s.opts.Segment)
		}
	}
	if groups := s.opts.lagGroups(); len(groups) > 0 {
		s.userLag = startLagWatch(ctx, drive.NewLagSampler(s.tg.brokers, s.opts.lagTopic(), s.tg.kafka), s.tl, s.start, groups, nil)
	}
	if s.env != nil {
		s.tiers = startTierWatch(ctx, s.env.tiers, s.start)
	}
	if s.env == nil && s.opts.CompletionsTopic == "" {
		return nil
	}
	capacity := uint64(maxLedgerIDs)
	if !s.opts.ClosedLoop {
		// The schedule holds at most one request more than the peak rate
		// offers over the run (one more for rounding); walking it to count
		// them would take as long as the run at a high rate.
		capacity = min(s.opts.Segment.Local(uint64(s.prof.PeakRate()*s.prof.Duration.Seconds()))+2, capacity)
	}
	cfg := completionsConfig{brokers: s.tg.brokers, conn: s.tg.kafka, topic: s.opts.CompletionsTopic, groups: []string{"output"},
		capacity: capacity, segment: s.opts.Segment, stallAfter: 3 * s.prof.Environment.SessionTimeout}
	if s.env != nil {
		cfg.topic, cfg.jobs, cfg.groups = wire.DefaultCompletionsTopic, wire.DefaultJobsTopic, s.env.groups
	}
	async := s.asyncPath()
	if async == nil {
		return errors.New("--completions-topic needs an async target (--async-url or --topic)")
	}
	if async.keying.EventsPerKey > 0 {
		cfg.keying, cfg.orderIDs = async.keying, uint64(maxLedgerIDs)
		if !s.opts.ClosedLoop {
			cfg.orderIDs = min(uint64(s.prof.PeakRate()*s.prof.Duration.Seconds())+2, cfg.orderIDs)
		}
	}
	if s.comps, err = startCompletions(ctx, s.b, s.tl, s.start, async.idPrefix, cfg); err != nil {
		return err
	}
	async.onAccept = s.comps.accept
	if s.env != nil && len(s.prof.Chaos) > 0 {
		if s.journalFile, err = s.b.Create(bundle.JournalFile); err != nil {
			return err
		}
		journal := chaos.NewJournal(s.journalFile, s.start)
		journal.Echo(s.chaosOnTimeline)
		s.chaos = chaos.NewRunner(workers{s.env.sup, s.env}, journal, s.prof.Seed)
		view := newLive()
		s.tl.watchLines(view.observe)
		if s.chaosEvents, err = chaosEvents(s.prof.Chaos, s.shape, s.prof.Duration, view); err != nil {
			return err
		}
	}
	return nil
}

// chaosOnTimeline puts each fault that took effect on the timeline too, so
// that a reader of timeline.jsonl alone sees the faults beside the seconds
// they hit (the journal keeps the intents and failures as well).
func (s *session) chaosOnTimeline(e chaos.Entry) {
	if e.Stage != bundle.StageDone || e.DryRun {
		return
	}
	s.tl.write(bundle.TimelineLine{TS: e.TS, Event: bundle.EventChaos, Action: e.Action, Target: e.Target, PID: e.PID})
}

// maxLedgerIDs bounds the ids a consumer group's ledger tracks, 2 bits
// each: 32 MB, 10,000 req/s for 3.7 hours. A closed-loop run, whose request
// count is not known in advance, gets all of it. Ids beyond are counted as
// untracked.
const maxLedgerIDs = 1 << 27

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
	if s.metrics != nil {
		s.metrics.register(s)
	}
	if s.opts.MetricsAddr != "" {
		addr, err := s.metrics.serve(collectCtx, s.opts.MetricsAddr)
		if err != nil {
			return nil, &SetupError{err}
		}
		if s.opts.Progress != nil {
			fmt.Fprintf(s.opts.Progress, "metrics: http://%s/metrics\n", addr)
		}
	}
	finishPush := s.startPush()
	stopProgress, progressDone := s.startProgress()
	stopNotice := s.noticeInterrupt(ctx)
	s.ready = time.Now()

	// The schedule ends by itself; its last requests, due just before the
	// end, still leave if the pacer wakes for them up to late_after late.
	loadEnd := s.start.Add(s.prof.Duration)
	if !s.opts.ClosedLoop {
		loadEnd = loadEnd.Add(s.prof.Limits.LateAfter)
	}
	loadCtx, stopLoad := context.WithDeadline(ctx, loadEnd)
	defer stopLoad()
	chaosDone := make(chan struct{})
	if s.chaos != nil {
		go func() { s.chaos.Run(loadCtx, s.start, s.chaosEvents); close(chaosDone) }()
	} else {
		close(chaosDone)
	}
	var wg sync.WaitGroup
	for _, p := range s.paths {
		wg.Go(func() {
			if s.opts.ClosedLoop {
				p.closedLoop(loadCtx, s.start, s.opts.Segment.Share(s.opts.Connections))
			} else {
				p.lag = p.pacer.Run(loadCtx)
			}
		})
	}
	wg.Wait()
	loadEnded := time.Now()
	cut, stopCut := interruptCut(ctx)
	defer stopCut()
	if s.chaos != nil {
		s.chaos.Halt() // restart and resume what is still down, so the drain can finish
		<-chaosDone
	}
	for _, p := range s.paths {
		p.drain(p.timeout+time.Second, cut)
	}
	drainS, drained := s.drainCompletions(ctx, cut)
	if s.chaos != nil && ctx.Err() == nil {
		s.watchRecovery(ctx)
	}
	close(stopProgress)
	<-progressDone
	stopNotice()
	res, err := s.write(loadEnded, ctx.Err() != nil, drainS, drained)
	finishPush()
	return res, err
}

// interruptCut returns a channel closed interruptedDrain after ctx is done:
// once the user asks to stop, every stage of the drain left shares this one
// deadline, so that the run ends about interruptedDrain after the interrupt.
func interruptCut(ctx context.Context) (cut <-chan struct{}, stop func() bool) {
	c := make(chan struct{})
	return c, context.AfterFunc(ctx, func() { time.AfterFunc(interruptedDrain, func() { close(c) }) })
}

// noticeInterrupt says on Notices, when ctx is cancelled during the load or
// the drain, that the run stops and writes a partial bundle. The returned
// function ends the watch, before the bundle is written.
func (s *session) noticeInterrupt(ctx context.Context) (stop func()) {
	if s.opts.Notices == nil {
		return func() {}
	}
	w := s.opts.Notices
	said := make(chan struct{})
	stopAfter := context.AfterFunc(ctx, func() {
		defer close(said)
		fmt.Fprintf(w, "\ninterrupted: stopping, waiting up to %v for answers, writing a partial bundle (Ctrl-C again to quit now)\n", interruptedDrain)
	})
	return func() {
		if !stopAfter() {
			<-said // begun: let it finish before the bundle is written
		}
	}
}

// drainCompletions waits until every accepted message is completed by every
// group, at most the environment's drain bound, or until cut closes. It
// returns how long it waited and whether it ran its course: every message
// completed, or the bound passed with no interrupt. Only then is what it
// still awaits lost; otherwise it is pending.
func (s *session) drainCompletions(ctx context.Context, cut <-chan struct{}) (waitedS float64, drained bool) {
	if s.comps == nil {
		return 0, true
	}
	began := time.Now()
	deadline := time.NewTimer(s.prof.Environment.Drain)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for s.comps.pending() > 0 {
		select {
		case <-deadline.C:
			return time.Since(began).Seconds(), ctx.Err() == nil
		case <-cut:
			return time.Since(began).Seconds(), false
		case <-tick.C:
		}
	}
	return time.Since(began).Seconds(), true
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
// phases; every step is tried, and every failure returned. Only a bundle
// written whole becomes results/latest.
func (s *session) write(loadEnded time.Time, interrupted bool, drainS float64, drained bool) (*Result, error) {
	elapsed := max(loadEnded.Sub(s.start), 0) // an interrupt may come before the first request is due
	var errs []error
	for _, p := range s.paths {
		errs = append(errs, p.finish())
	}
	errs = append(errs, s.writeTotals(elapsed))
	if s.userLag != nil {
		s.userLag.finish()
	}
	if s.tiers != nil {
		s.tiers.finish()
	}
	if s.comps != nil {
		err := s.comps.finish()
		if n := s.comps.readErrors.Load(); n > 0 && err == nil && s.opts.Progress != nil {
			fmt.Fprintf(s.opts.Progress, "\ncompletions: the reader met %d read errors and recovered from them; no completion was missed\n", n)
		}
		errs = append(errs, err)
	}
	ended := time.Now()
	if err := s.tl.Err(); err != nil {
		errs = append(errs, fmt.Errorf("write %s: %w", bundle.TimelineFile, err))
	}
	errs = append(errs, s.tlFile.Commit())
	if s.journalFile != nil {
		errs = append(errs, s.journalFile.Commit())
	}
	summary := summarize(s.plan, s.tg, s.runID, s.start, elapsed, interrupted, s.paths)
	s.recordStart(&summary.Run)
	if s.comps != nil && summary.Async != nil {
		s.comps.summarize(summary.Async, drained)
		d := round(drainS, 3)
		summary.Async.DrainS = &d
	}
	if s.userLag != nil && summary.Async != nil {
		worst := s.userLag.worst()
		if a := summary.Async; a.MaxLag != nil {
			worst = max(worst, *a.MaxLag)
		}
		summary.Async.LagTopic, summary.Async.LagGroups, summary.Async.MaxLag = s.opts.lagTopic(), s.userLag.summary(), &worst
	}
	analysis, err := phases.Analyze(s.b.Dir, filepath.Join(s.b.Dir, bundle.JournalFile), s.start,
		elapsed.Seconds(), ended.Sub(s.start).Seconds())
	if err == nil {
		summary.Phases, summary.Chaos = analysis.Phases, analysis.Chaos
	}
	errs = append(errs, err)
	if s.tiers != nil && summary.Sync != nil {
		until := chainUntil(summary)
		window, err := phases.Over(s.b.Dir, s.start, phases.Window{StartS: 0, EndS: until})
		summary.Sync.Chain = s.tiers.chain(until, chainEdgeOf(window))
		errs = append(errs, err)
	}
	if summary.Async != nil && s.comps != nil {
		summary.Async.Backlog, err = phases.Backlog(s.b.Dir)
		errs = append(errs, err)
		errs = append(errs, s.scaleOut(summary.Async))
	}
	if summary.Thresholds, err = gate.Check(summary, s.prof.Thresholds); err != nil {
		errs = append(errs, err)
		summary.Thresholds = []bundle.Threshold{}
	}
	if summary.Run.Claim, err = gate.RenderClaim(s.prof.Claim, summary); err != nil {
		errs = append(errs, fmt.Errorf("claim: %w", err))
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
	if err := errors.Join(errs...); err != nil {
		return &Result{Summary: summary, Dir: s.b.Dir}, err
	}
	return &Result{Summary: summary, Dir: s.b.Dir}, s.b.LinkLatest()
}

func (s *session) startProgress() (stop chan struct{}, done chan struct{}) {
	stop, done = make(chan struct{}), make(chan struct{})
	if s.opts.Progress == nil {
		close(done)
		return stop, done
	}
	pr := &progress{w: s.opts.Progress, terminal: s.opts.Terminal, start: s.start, total: s.prof.Duration, paths: s.paths, comps: s.comps, userLag: s.userLag}
	go func() { pr.run(stop); close(done) }()
	return stop, done
}
