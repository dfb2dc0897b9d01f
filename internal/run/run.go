package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/hist"
	"github.com/loadchaos/loadgen/internal/pace"
	"github.com/loadchaos/loadgen/profiles"
)

// Options is one run's configuration, gathered from the command line.
type Options struct {
	Profile *profiles.Profile // the load; its seed is chosen here when zero

	SyncURL  string   // an HTTP service answering when the work is done
	AsyncURL string   // an HTTP edge answering 202 once it has accepted the work
	Topic    string   // a Kafka topic to produce to directly, as the async target
	Brokers  []string // the Kafka cluster for Topic

	// ClosedLoop replaces the schedule by Connections workers that each
	// send again as soon as they have an answer: a capacity test. Latency is
	// then from the actual send, and nothing can be late.
	ClosedLoop  bool
	Connections int

	Out string // results root; the bundle goes into Out/<run id>

	Progress io.Writer // where progress lines go; nil for none
	Terminal bool      // Progress is a terminal: rewrite one line in place
}

// Result is a finished (or interrupted) run.
type Result struct {
	Summary *bundle.Summary
	Dir     string
}

// ErrNoTarget is returned when the options name nothing to drive.
var ErrNoTarget = errors.New("no target: give --sync-url, --async-url, or --brokers with --topic")

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

// Run drives the targets with the profile's load and writes the bundle. When
// ctx is cancelled the load stops, the run drains briefly and writes a
// bundle marked partial. The returned error is a *SetupError when nothing
// could be sent.
func Run(ctx context.Context, opts Options) (*Result, error) {
	prof := opts.Profile
	if prof.Seed == 0 {
		prof.Seed = rand.Uint64N(1<<53) + 1 // fits a JSON number exactly
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

	started := time.Now()
	runID := bundle.NewRunID(started)
	b, err := bundle.Create(opts.Out, runID)
	if err != nil {
		return nil, &SetupError{err}
	}
	tlFile, err := b.Create(bundle.TimelineFile)
	if err != nil {
		return nil, &SetupError{err}
	}
	tl := newTimeline(tlFile)
	start := started.Add(startDelay)
	shape := prof.Shape()
	var offered []int64
	if !opts.ClosedLoop {
		offered = offeredPerSecond(shape, prof.Duration)
	}
	for _, p := range paths {
		if err := p.open(b, start, runID, func(iv *hist.Interval) error {
			if err := p.log.Write(iv); err != nil {
				return err
			}
			return tl.second(p.name, "", offered, iv)
		}); err != nil {
			return nil, &SetupError{err}
		}
	}

	collectCtx, stopCollecting := context.WithCancel(context.Background())
	defer stopCollecting()
	for _, p := range paths {
		go p.collector.Run(collectCtx)
	}
	stopProgress := make(chan struct{})
	progressDone := make(chan struct{})
	if opts.Progress != nil {
		pr := &progress{w: opts.Progress, terminal: opts.Terminal, start: start, total: prof.Duration, paths: paths}
		go func() { pr.run(stopProgress); close(progressDone) }()
	} else {
		close(progressDone)
	}

	loadCtx, stopLoad := context.WithDeadline(ctx, start.Add(prof.Duration))
	defer stopLoad()
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Go(func() {
			if opts.ClosedLoop {
				p.closedLoop(loadCtx, start, opts.Connections)
			} else {
				p.paceSchedule(loadCtx, pace.NewSchedule(shape, prof.Duration), start, prof.Limits)
			}
		})
	}
	wg.Wait()
	ended := time.Now()
	interrupted := ctx.Err() != nil
	for _, p := range paths {
		bound := p.timeout + time.Second
		if interrupted {
			bound = interruptedDrain
		}
		p.drain(bound)
	}
	close(stopProgress)
	<-progressDone

	var errs []error
	for _, p := range paths {
		errs = append(errs, p.finish())
	}
	errs = append(errs, tlFile.Commit())
	summary := summarize(opts, runID, start, ended.Sub(start), interrupted, paths)
	errs = append(errs, b.WriteFile(bundle.ProfileFile, func(w io.Writer) error {
		data, err := prof.YAML()
		if err == nil {
			_, err = w.Write(data)
		}
		return err
	}))
	errs = append(errs, b.WriteFile(bundle.SummaryFile, summary.Encode))
	errs = append(errs, b.LinkLatest())
	return &Result{Summary: summary, Dir: b.Dir}, errors.Join(errs...)
}

// newPaths builds a path for each target the options name.
func newPaths(opts Options) ([]*path, error) {
	prof := opts.Profile
	maxConns := prof.Limits.MaxInFlight
	if opts.ClosedLoop {
		maxConns = opts.Connections
	}
	var paths []*path
	httpPath := func(name, url string) error {
		d, err := drive.NewHTTP(drive.HTTPConfig{URL: strings.TrimSuffix(url, "/") + prof.HTTP.Path, Method: prof.HTTP.Method,
			Headers: prof.HTTP.Headers, Body: prof.HTTP.Body, Timeout: prof.HTTP.Timeout, MaxConns: maxConns})
		if err != nil {
			return fmt.Errorf("--%s-url: %w", name, err)
		}
		paths = append(paths, &path{name: name, driver: d, timeout: prof.HTTP.Timeout})
		return nil
	}
	if opts.SyncURL != "" {
		if err := httpPath("sync", opts.SyncURL); err != nil {
			return nil, err
		}
	}
	switch {
	case opts.AsyncURL != "" && opts.Topic != "":
		return nil, errors.New("--async-url and --topic both name the async target: give one")
	case opts.AsyncURL != "":
		if err := httpPath("async", opts.AsyncURL); err != nil {
			return nil, err
		}
	case opts.Topic != "":
		k := prof.Kafka
		d, err := drive.NewKafka(drive.KafkaConfig{Brokers: opts.Brokers, Topic: opts.Topic, Key: k.Key, ValueBytes: k.ValueBytes,
			Body: prof.HTTP.Body, Acks: k.Acks, Timeout: k.Timeout, MaxInFlight: maxConns})
		if err != nil {
			return nil, fmt.Errorf("--topic: %w", err)
		}
		paths = append(paths, &path{name: "async", driver: d, timeout: k.Timeout})
	}
	if len(paths) == 0 {
		return nil, ErrNoTarget
	}
	return paths, nil
}

// open prepares a path's log and collector.
func (p *path) open(b *bundle.Bundle, start time.Time, runID string, emit func(*hist.Interval) error) error {
	name, comment := bundle.SyncLog, "sync response latency from the intended send time"
	if p.name == "async" {
		name, comment = bundle.AsyncAcceptLog, "async accept latency (intended send to 202 or broker ack)"
	}
	f, err := b.Create(name)
	if err != nil {
		return err
	}
	if p.log, err = hist.NewLog(f, start, comment); err != nil {
		f.Discard()
		return err
	}
	p.logFile = f
	p.idPrefix = runID + "-" + p.name[:1]
	p.collector = hist.NewCollector(start, hist.Config{Classes: len(drive.Classes), Grace: p.timeout + time.Second, Emit: emit})
	return nil
}

// paceSchedule releases the schedule's requests onto the path's pool.
func (p *path) paceSchedule(ctx context.Context, s *pace.Schedule, start time.Time, limits profiles.Limits) {
	workerCtx := context.WithoutCancel(ctx) // requests in flight finish during the drain
	p.pool = pace.NewPool(limits.MaxInFlight, func() pace.Worker { return p.newWorker(workerCtx) }, p.collector.Boundary)
	p.pacer = &pace.Pacer{Schedule: s, Start: start, LateAfter: limits.LateAfter, Dispatch: p.pool.TryDispatch}
	p.lag = p.pacer.Run(ctx)
}

// closedLoop runs n workers that each send as soon as they have an answer,
// until ctx is done and each has its last answer.
func (p *path) closedLoop(ctx context.Context, start time.Time, n int) {
	workerCtx := context.WithoutCancel(ctx)
	time.Sleep(time.Until(start))
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			w := p.newWorker(workerCtx)
			defer w.Close()
			for ctx.Err() == nil {
				w.Do(pace.Job{Seq: p.seq.Add(1) - 1, Intended: time.Now()})
			}
		})
	}
	wg.Wait()
}
