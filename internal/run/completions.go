package run

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/hist"
	"github.com/loadchaos/loadgen/internal/ledger"
	"github.com/loadchaos/loadgen/internal/pace"
	"github.com/loadchaos/loadgen/internal/wire"
)

// completions follows what each consumer group finishes: a ledger of ids,
// end-to-end latency (intended send to completion seen, on this process's
// clock), lag and stalls.
type completions struct {
	prefix  string       // ids of this run's async path
	segment pace.Segment // the ids this generator sent: the rest are its sibling segments'
	start   time.Time
	groups  []*group
	// keying.EventsPerKey > 0: messages are keyed by entity and each
	// group counts order violations.
	keying ledger.Keying
	in     chan drive.Completion
	stopLn func() error
	// stopListen cancels the reading's context: finish calls it after stopLn.
	stopListen context.CancelFunc
	lagWatch   *lagWatch // nil when no jobs topic is known
	tl         *timeline

	logMu   sync.Mutex
	log     *bundle.Log
	logFile *bundle.File

	stallAfter time.Duration
	strays     atomic.Int64 // completions of a group nobody declared
	readErrors atomic.Int64 // errors the completions readers met, recovered from or not
	recorded   chan struct{}
}

// group is one consumer group's record.
type group struct {
	name      string
	ledger    *ledger.Ledger
	order     *ledger.Order // nil unless messages are keyed by entity; the recording goroutine's
	collector *hist.Collector
	rec       *hist.Recorder // used by the recording goroutine only
	completed atomic.Int64   // first completions so far, to see progress
	failed    atomic.Int64
	siblings  atomic.Int64 // completions of ids another segment of the run sent
	maxLag    atomic.Int64
	lag       atomic.Int64 // last sampled
	lost      atomic.Int64 // set once the run is summarized
	stalls    int
	total     *hist.Interval
}

// completionsConfig says where completions come from and what is expected.
type completionsConfig struct {
	brokers  []string
	conn     *wire.KafkaConn
	topic    string // completions topic
	jobs     string // the topic whose lag is sampled; "" for none
	groups   []string
	capacity uint64 // requests the schedule holds: the ledgers' size
	// keying.EventsPerKey > 0 counts order violations per group over ids 0
	// to orderIDs-1 of the whole schedule (every segment's: an entity's
	// events are striped across them).
	keying     ledger.Keying
	orderIDs   uint64
	segment    pace.Segment
	stallAfter time.Duration
}

// startCompletions starts listening before any load is sent, so that no
// completion is missed.
func startCompletions(ctx context.Context, b *bundle.Bundle, tl *timeline, start time.Time, prefix string, cfg completionsConfig) (*completions, error) {
	f, err := b.Create(bundle.AsyncE2ELog)
	if err != nil {
		return nil, err
	}
	log, err := bundle.NewLog(f, start, "async end-to-end latency (intended send to completion seen), tagged by consumer group when there are several")
	if err != nil {
		f.Discard()
		return nil, err
	}
	c := &completions{prefix: prefix, segment: cfg.segment, keying: cfg.keying, start: start, in: make(chan drive.Completion, 4096), tl: tl, log: log, logFile: f,
		stallAfter: cfg.stallAfter, recorded: make(chan struct{})}
	for _, name := range cfg.groups {
		g := &group{name: name, ledger: ledger.New(cfg.capacity)}
		if cfg.keying.EventsPerKey > 0 {
			g.order = ledger.NewOrder(cfg.orderIDs, cfg.keying)
		}
		tag := ""
		if len(cfg.groups) > 1 {
			tag = name
		}
		g.collector = hist.NewCollector(start, hist.Config{Emit: func(iv *hist.Interval) error { return c.emit(g, tag, iv) }})
		g.rec = g.collector.NewRecorder()
		go g.collector.Run(context.WithoutCancel(ctx))
		c.groups = append(c.groups, g)
	}
	// An interrupt cancels the setup, but not the reading once it runs:
	// completions seen during the drain that follows still count, and
	// finish ends the reading.
	listenCtx, stopListen := context.WithCancel(context.WithoutCancel(ctx))
	stopEarly := context.AfterFunc(ctx, stopListen)
	c.stopLn, err = drive.ListenCompletions(listenCtx, drive.CompletionsConfig{Brokers: cfg.brokers, Topic: cfg.topic, Conn: cfg.conn,
		ReadError: func(error) { c.readErrors.Add(1) }}, func(m drive.Completion) { c.in <- m })
	stopEarly()
	c.stopListen = stopListen
	if err != nil {
		stopListen()
		f.Discard()
		return nil, fmt.Errorf("read completions: %w", err)
	}
	go c.record()
	if cfg.jobs != "" {
		names := make([]string, len(c.groups))
		for i, g := range c.groups {
			names[i] = g.name
		}
		c.lagWatch = startLagWatch(ctx, drive.NewLagSampler(cfg.brokers, cfg.jobs, cfg.conn), tl, start, names, c.stallWatch())
	}
	return c, nil
}

func (c *completions) emit(g *group, tag string, iv *hist.Interval) error {
	c.logMu.Lock()
	err := c.log.WriteTagged(iv, tag)
	c.logMu.Unlock()
	if err != nil {
		return err
	}
	return c.tl.second(bundle.PathAsyncE2E, g.name, nil, nil, iv)
}

// accept records that the async target took a request: every group now
// owes its completion.
func (c *completions) accept(seq uint64) {
	for _, g := range c.groups {
		g.ledger.Accept(c.segment.Local(seq))
	}
}

// record runs in one goroutine: it owns the groups' Recorders.
func (c *completions) record() {
	defer close(c.recorded)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case m, ok := <-c.in:
			if !ok {
				for _, g := range c.groups {
					g.rec.Close()
				}
				return
			}
			c.complete(m)
		case <-tick.C:
			for _, g := range c.groups {
				g.rec.Flush()
			}
		}
	}
}

func (c *completions) complete(m drive.Completion) {
	g := c.groupOf(m.Group)
	if g == nil {
		c.strays.Add(1)
		return
	}
	seq, ok := ledger.ParseID(c.prefix, m.ID)
	if !ok {
		g.ledger.Foreign()
		return
	}
	if !c.segment.Owns(seq) {
		g.siblings.Add(1) // this run's, accounted in its own segment's bundle
		if g.order != nil {
			g.order.See(seq)
		}
		return
	}
	first := g.ledger.Complete(c.segment.Local(seq))
	if g.order != nil {
		g.order.Complete(seq, !first)
	}
	if !first {
		return
	}
	g.completed.Add(1)
	if m.Failed {
		g.failed.Add(1)
	}
	if m.SentNS > 0 {
		g.rec.Record(m.Seen, 0, m.Seen.Sub(time.Unix(0, m.SentNS)), 0)
	}
}

// groupOf finds the group a completion is for: with one group, every
// completion is its (a user's service may not name groups).
func (c *completions) groupOf(name string) *group {
	if len(c.groups) == 1 {
		return c.groups[0]
	}
	for _, g := range c.groups {
		if g.name == name {
			return g
		}
	}
	return nil
}

// stallWatch returns what notes, after each lag sample, a group that has
// lag but completes nothing for stallAfter, counted from the first sample
// at the earliest: a stall (a consumer group stuck in a rebalance, say) is
// recorded, never waited on.
func (c *completions) stallWatch() func(now time.Time, ts float64, lags []int64) {
	progress := make([]int64, len(c.groups))
	since := make([]time.Time, len(c.groups))
	stalled := make([]bool, len(c.groups))
	return func(now time.Time, ts float64, lags []int64) {
		for i, g := range c.groups {
			g.lag.Store(lags[i])
			g.maxLag.Store(max(g.maxLag.Load(), lags[i]))
			if done := g.completed.Load(); done != progress[i] || lags[i] == 0 || since[i].IsZero() {
				progress[i], since[i], stalled[i] = done, now, false
			} else if !stalled[i] && now.Sub(since[i]) >= c.stallAfter {
				stalled[i] = true
				g.stalls++
				c.tl.write(bundle.TimelineLine{TS: ts, Event: bundle.EventStall, Group: g.name, Lag: lags[i]})
			}
		}
	}
}

// pending is how many accepted messages some group has yet to complete.
func (c *completions) pending() int64 {
	var n int64
	for _, g := range c.groups {
		n += g.ledger.Pending()
	}
	return n
}

// lag is the worst group's last sampled lag, for progress lines.
func (c *completions) lag() int64 {
	var n int64
	for _, g := range c.groups {
		n = max(n, g.lag.Load())
	}
	return n
}

// finish stops listening and sampling and writes out the last intervals.
// It fails when a completions reader did not recover from an error before
// the drain ended, or never read: the ledger may then miss completions. A
// reader that recovered only leaves its errors counted in readErrors.
func (c *completions) finish() error {
	errListen := c.stopLn()
	c.stopListen()
	close(c.in)
	<-c.recorded
	if c.lagWatch != nil {
		c.lagWatch.finish()
	}
	var err error
	for _, g := range c.groups {
		total, _, ferr := g.collector.Finish()
		g.total = total
		if err == nil {
			err = ferr
		}
	}
	if err != nil {
		c.logFile.Discard()
		return err
	}
	if errListen != nil {
		c.logFile.Discard()
		return fmt.Errorf("read completions: %w", errListen)
	}
	return c.logFile.Commit()
}

// summarize adds the completion figures to the async summary. drained says
// whether the drain ran its course: only then are messages still awaited
// lost; after an interrupt they are pending.
func (c *completions) summarize(a *bundle.Async, drained bool) {
	a.Groups = map[string]*bundle.Group{}
	var completed, lost, pending, dups, afterRejection, unexpected, maxLag int64
	e2e := hist.New()
	for _, g := range c.groups {
		counts := g.ledger.Final(drained)
		g.lost.Store(counts.Lost)
		gs := &bundle.Group{Completed: counts.Completed, Failed: g.failed.Load(), Lost: counts.Lost, Pending: counts.Pending,
			Duplicates: counts.Duplicates, CompletedAfterRejection: counts.CompletedAfterRejection, Unexpected: counts.Unexpected, Untracked: counts.Untracked, MaxLag: g.maxLag.Load(), Stalls: g.stalls,
			SiblingCompletions: g.siblings.Load()}
		if g.order != nil {
			first, redelivered := g.order.Violations()
			all := first + redelivered
			gs.OrderViolations, gs.OrderViolationsFirst, gs.OrderViolationsRedelivered = &all, &first, &redelivered
		}
		if g.total != nil {
			gs.E2ELatencyMS = hist.Summarize(g.total.Latency)
			e2e.Merge(g.total.Latency)
		}
		a.Groups[g.name] = gs
		completed += gs.Completed
		lost += gs.Lost
		pending += gs.Pending
		a.Untracked += gs.Untracked
		dups += gs.Duplicates
		afterRejection += gs.CompletedAfterRejection
		unexpected += gs.Unexpected
		a.SiblingCompletions += gs.SiblingCompletions
		maxLag = max(maxLag, gs.MaxLag)
	}
	unexpected += c.strays.Load()
	e2eMS := hist.Summarize(e2e)
	a.Completed, a.Lost, a.Pending, a.Duplicates, a.MaxLag, a.E2ELatencyMS = &completed, &lost, &pending, &dups, &maxLag, &e2eMS
	a.CompletedAfterRejection, a.Unexpected = &afterRejection, &unexpected
	a.EventsPerKey, a.KeySpacing = int(c.keying.EventsPerKey), int(c.keying.Spacing)
}
