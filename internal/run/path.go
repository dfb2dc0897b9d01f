package run

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/hist"
	"github.com/loadchaos/loadgen/internal/ledger"
	"github.com/loadchaos/loadgen/internal/pace"
	"github.com/loadchaos/loadgen/profiles"
)

// path is one target under load: its driver, and the pacer, pool and
// collector that drive it and record what it did.
type path struct {
	name     string // "sync" or "async"
	idPrefix string // run id plus a letter per path, so ids are unique in the run
	driver   drive.Driver
	timeout  time.Duration
	onAccept func(seq uint64) // told of each success, when completions are followed
	// kinds name the kinds of request of a mix, which mix draws among;
	// nil for one kind.
	kinds []string
	mix   drive.Mix
	// keying, when its EventsPerKey > 0, keys each request by its entity
	// (kafka.key entity).
	keying    ledger.Keying
	keyPrefix string // the run id and "-e": keys are unique in the run

	collector *hist.Collector
	log       *bundle.Log
	logFile   *bundle.File
	pacer     *pace.Pacer     // nil in closed-loop mode
	missed    *pace.PerSecond // what the pacer skipped or dropped, by second; nil in closed-loop mode
	pool      *pace.Pool

	completed atomic.Int64
	errors    atomic.Int64
	inFlight  atomic.Int64
	seq       atomic.Uint64  // closed-loop mode numbers its own requests
	looping   sync.WaitGroup // closed-loop mode's workers

	// Set once the load is over.
	lag       *hdr.Histogram
	total     *hist.Interval
	misplaced int64
	abandoned int64 // requests still unanswered when the drain gave up
}

// worker is one of a path's workers: it owns its Recorder, its Sender and
// its Request.
type worker struct {
	p      *path
	ctx    context.Context
	rec    *hist.Recorder
	sender drive.Sender
	req    drive.Request
}

var _ pace.Worker = (*worker)(nil)

func (p *path) newWorker(ctx context.Context) *worker {
	return &worker{p: p, ctx: ctx, rec: p.collector.NewRecorder(), sender: p.driver.NewSender()}
}

func (w *worker) Do(j pace.Job) {
	w.req = drive.Request{Seq: j.Seq, ID: w.p.idPrefix + strconv.FormatUint(j.Seq, 10), Intended: j.Intended, Kind: w.p.mix.Kind(j.Seq)}
	if w.p.keying.EventsPerKey > 0 {
		entity, _ := w.p.keying.Of(j.Seq)
		w.req.Key = w.p.keyPrefix + strconv.FormatUint(entity, 10)
	}
	w.p.inFlight.Add(1)
	o := w.sender.Do(w.ctx, &w.req)
	w.p.inFlight.Add(-1)
	w.rec.RecordKind(o.Done, w.req.Kind, int(o.Class), o.Done.Sub(j.Intended), o.Done.Sub(o.Sent))
	if o.Class != drive.OK {
		w.p.errors.Add(1)
	} else if w.p.onAccept != nil {
		w.p.onAccept(j.Seq)
	}
	w.p.completed.Add(1)
}

func (w *worker) Idle() { w.rec.Flush() }
func (w *worker) Close() {
	w.rec.Close()
	w.sender.Release()
}

// drain waits for the workers to finish their requests, at most bound, or
// until cut closes (an interrupt). What is still unanswered then is counted
// as abandoned and left out.
func (p *path) drain(bound time.Duration, cut <-chan struct{}) {
	done := make(chan struct{})
	go func() {
		if p.pool != nil {
			p.pool.Close()
		}
		p.looping.Wait()
		close(done)
	}()
	timer := time.NewTimer(bound)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		p.abandoned = p.inFlight.Load()
	case <-cut:
		p.abandoned = p.inFlight.Load()
	}
}

// finish closes the collector and the log once no worker records any more.
func (p *path) finish() error {
	total, misplaced, err := p.collector.Finish()
	p.total, p.misplaced = total, misplaced
	if err != nil {
		p.logFile.Discard()
		return fmt.Errorf("%s: %w", p.name, err)
	}
	return p.logFile.Commit()
}

// errorClasses names the non-zero error counts of an interval.
func errorClasses(iv *hist.Interval) map[string]int64 {
	m := map[string]int64{}
	for _, c := range drive.Classes[1:] {
		if n := iv.Counts[c]; n > 0 {
			m[c.String()] = n
		}
	}
	return m
}

func (p *path) schedule(elapsed time.Duration) bundle.Schedule {
	s := bundle.Schedule{Misplaced: p.misplaced}
	if p.pacer != nil {
		c := p.pacer.Counts()
		s.Scheduled, s.Dispatched, s.Late, s.Dropped = c.Scheduled, c.Dispatched, c.Late, c.Dropped
		s.LagMS = hist.Summarize(p.lag)
	} else {
		s.Scheduled, s.Dispatched = p.total.Outcomes(), p.total.Outcomes()
	}
	if secs := elapsed.Seconds(); secs > 0 {
		s.OfferedRate = round(float64(s.Scheduled)/secs, 1)
		s.AchievedRate = round(float64(p.total.Outcomes())/secs, 1)
	}
	return s
}

// figures are the path's common figures over the run: a request still
// unanswered when the drain gave up counts as sent, neither ok nor an error.
func (p *path) figures() bundle.Figures {
	f := intervalFigures(p.total)
	f.Sent += p.abandoned
	return f
}

// intervalFigures are the figures of what an interval recorded.
func intervalFigures(iv *hist.Interval) bundle.Figures {
	ok := iv.Counts[drive.OK]
	return bundle.Figures{
		Sent:       iv.Outcomes(),
		OK:         ok,
		Errors:     iv.Outcomes() - ok,
		ErrorClass: errorClasses(iv),
		LatencyMS:  hist.Summarize(iv.Latency),
	}
}

func (p *path) syncSummary(elapsed time.Duration) *bundle.Sync {
	s := p.figures().Sync()
	s.ServiceMS, s.InFlightEnd, s.Schedule = hist.Summarize(p.total.Service), p.abandoned, p.schedule(elapsed)
	for i, name := range p.kinds {
		if s.Requests == nil {
			s.Requests = map[string]*bundle.PhaseSync{}
		}
		s.Requests[name] = intervalFigures(p.total.Kinds[i]).PhaseSync()
	}
	return s
}

func (p *path) asyncSummary(elapsed time.Duration) *bundle.Async {
	a := p.figures().Async()
	a.AcceptServiceMS, a.InFlightEnd, a.Schedule = hist.Summarize(p.total.Service), p.abandoned, p.schedule(elapsed)
	for i, name := range p.kinds {
		if a.Requests == nil {
			a.Requests = map[string]*bundle.AsyncRequest{}
		}
		a.Requests[name] = intervalFigures(p.total.Kinds[i]).AsyncRequest()
	}
	return a
}

// writeInterval writes one closed second to the path's log: the total,
// untagged, then each kind of request tagged with its name.
func (p *path) writeInterval(iv *hist.Interval) error {
	if err := p.log.Write(iv); err != nil {
		return err
	}
	for i, kiv := range iv.Kinds {
		if err := p.log.WriteTagged(kiv, bundle.RequestTag(p.kinds[i])); err != nil {
			return err
		}
	}
	return nil
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
	if p.log, err = bundle.NewLog(f, start, comment); err != nil {
		f.Discard()
		return err
	}
	p.logFile = f
	p.idPrefix = runID + "-" + p.name[:1]
	p.keyPrefix = runID + "-e"
	p.collector = hist.NewCollector(start, hist.Config{Classes: len(drive.Classes), Kinds: len(p.kinds), Grace: p.timeout + time.Second, Emit: emit})
	return nil
}

// prepareSchedule gives the path its pool of workers and the pacer that feeds it
// the schedule's requests; workers' requests are not cancelled with the
// load, so that those in flight finish during the drain.
func (p *path) prepareSchedule(ctx context.Context, shape pace.Shape, duration time.Duration, start time.Time, limits profiles.Limits, seg pace.Segment) {
	workerCtx := context.WithoutCancel(ctx)
	s := pace.NewSegmentSchedule(shape, duration, seg)
	p.missed = pace.NewPerSecond(duration)
	p.pool = pace.NewPool(seg.Share(limits.MaxInFlight), func() pace.Worker { return p.newWorker(workerCtx) }, p.collector.Boundary)
	p.pacer = &pace.Pacer{Schedule: s, Start: start, LateAfter: limits.LateAfter, Dispatch: p.pool.TryDispatch, Missed: p.missed}
}

// closedLoop starts n workers that each send as soon as they have an
// answer, until ctx is done; it returns then, leaving the workers' last
// requests to the drain. Starting a million workers takes a while: the
// start stops with ctx too, so the run keeps its duration.
func (p *path) closedLoop(ctx context.Context, start time.Time, n int) {
	workerCtx := context.WithoutCancel(ctx)
	select {
	case <-time.After(time.Until(start)):
	case <-ctx.Done():
		return
	}
	for range n {
		if ctx.Err() != nil {
			break
		}
		p.looping.Go(func() {
			w := p.newWorker(workerCtx)
			defer w.Close()
			for ctx.Err() == nil {
				w.Do(pace.Job{Seq: p.seq.Add(1) - 1, Intended: time.Now()})
			}
		})
	}
	<-ctx.Done()
}

// writeTotals writes the whole-run histograms of each path that its
// per-second log lacks: service time and schedule lag.
func (s *session) writeTotals(elapsed time.Duration) error {
	f, err := s.b.Create(bundle.TotalsLog)
	if err != nil {
		return err
	}
	log, err := bundle.NewLog(f, s.start, "whole-run service time (from the actual send) and schedule lag, tagged by path and figure")
	if err != nil {
		f.Discard()
		return err
	}
	for _, p := range s.paths {
		if p.total == nil {
			continue // its collector failed, which the run reports
		}
		for _, t := range []struct {
			figure string
			h      *hdr.Histogram
		}{{"service", p.total.Service}, {"lag", p.lag}} {
			if t.h == nil {
				continue // no schedule, no lag: a closed loop
			}
			if err := log.WriteTagged(&hist.Interval{Start: s.start, Width: max(elapsed, time.Millisecond), Latency: t.h}, bundle.TotalsTag(p.name, t.figure)); err != nil {
				f.Discard()
				return err
			}
		}
	}
	return f.Commit()
}
