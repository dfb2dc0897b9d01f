package reporttest

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
)

// tally is one path's figures over the run or over one phase.
type tally struct {
	sent, ok  int64
	classes   map[string]int64
	latency   *hdr.Histogram
	completed int64
	maxLag    int64
}

func newTally() *tally { return &tally{classes: map[string]int64{}, latency: hist.New()} }

func (t *tally) add(ok int64, classes map[string]int64, h *hdr.Histogram) {
	t.ok += ok
	t.sent += ok
	for k, v := range classes {
		t.classes[k] += v
		t.sent += v
	}
	t.latency.Merge(h)
}

// figures are the tally's common figures: what did not succeed failed.
func (t *tally) figures() bundle.Figures {
	return bundle.Figures{Sent: t.sent, OK: t.ok, Errors: t.sent - t.ok, ErrorClass: t.classes, LatencyMS: hist.Summarize(t.latency)}
}

// queue is one consumer group: the intended send times of accepted
// messages not yet completed, worked off at a capacity per second.
type queue struct {
	name     string
	pending  []float64
	clock    float64 // when the consumers are free again, s
	total    *tally
	capacity func(sec int) int
}

type generator struct {
	rng          *rand.Rand
	slowdown     float64
	files        []*os.File
	syncLog      *bundle.Log
	acceptLog    *bundle.Log
	e2eLog       *bundle.Log
	timeline     *json.Encoder
	sync, accept *tally
	phases       map[string][2]*tally // sync, accept
	phaseE2E     map[string]*tally
	groups       []*queue
	offeredTotal int64
}

func newGenerator(dir string, o Options) (*generator, error) {
	g := &generator{rng: rand.New(rand.NewPCG(o.Seed, 42)), slowdown: o.Slowdown,
		sync: newTally(), accept: newTally(), phases: map[string][2]*tally{}, phaseE2E: map[string]*tally{}}
	for _, p := range bundle.Phases {
		g.phases[p] = [2]*tally{newTally(), newTally()}
		g.phaseE2E[p] = newTally()
	}
	for _, name := range Groups {
		q := &queue{name: name, total: newTally(), capacity: func(int) int { return 160 }}
		if name == "email" {
			q.capacity = func(sec int) int {
				if sec >= killAt && sec < restartAt {
					return 0
				}
				return 160
			}
		}
		g.groups = append(g.groups, q)
	}
	open := func(name, comment string) (*bundle.Log, error) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		g.files = append(g.files, f)
		return bundle.NewLog(f, Started, comment)
	}
	var err error
	if g.syncLog, err = open(bundle.SyncLog, "sync latency"); err != nil {
		return nil, errors.Join(err, g.close())
	}
	if g.acceptLog, err = open(bundle.AsyncAcceptLog, "async accept latency"); err != nil {
		return nil, errors.Join(err, g.close())
	}
	if g.e2eLog, err = open(bundle.AsyncE2ELog, "async end-to-end latency, tagged by consumer group"); err != nil {
		return nil, errors.Join(err, g.close())
	}
	tl, err := os.Create(filepath.Join(dir, bundle.TimelineFile))
	if err != nil {
		return nil, errors.Join(err, g.close())
	}
	g.files = append(g.files, tl)
	g.timeline = json.NewEncoder(tl)
	return g, nil
}

func (g *generator) close() error {
	var errs []error
	for _, f := range g.files {
		errs = append(errs, f.Close())
	}
	g.files = nil
	return errors.Join(errs...)
}

func phaseOf(sec int) string {
	switch {
	case sec < faultFrom:
		return bundle.PhaseBaseline
	case sec < recoverFrom:
		return bundle.PhaseFault
	}
	return bundle.PhaseRecovery
}

// latency draws a log-normal latency around medianMS.
func (g *generator) latency(medianMS float64) time.Duration {
	ms := medianMS * math.Exp(0.5*g.rng.NormFloat64()) * g.slowdown
	return time.Duration(ms * float64(time.Millisecond))
}

func (g *generator) offered(sec int) int {
	if sec >= burstFrom && sec < burstTo {
		return 3 * RatePerS
	}
	return RatePerS
}

func (g *generator) second(sec int) error {
	n := g.offered(sec)
	g.offeredTotal += int64(n)
	phase := phaseOf(sec)
	if err := g.syncSecond(sec, n, phase); err != nil {
		return err
	}
	accepted, err := g.acceptSecond(sec, n, phase)
	if err != nil {
		return err
	}
	for _, q := range g.groups {
		for i := range accepted {
			q.pending = append(q.pending, float64(sec)+float64(i)/float64(accepted))
		}
		if err := g.groupSecond(sec, q, phase); err != nil {
			return err
		}
	}
	return g.events(sec)
}

func (g *generator) syncSecond(sec, n int, phase string) error {
	h := hist.New()
	classes := map[string]int64{}
	for range n {
		switch down := sec >= pauseAt && sec < resumeAt; {
		case down && g.rng.IntN(5) == 0:
			classes["refused"]++
		case down, g.rng.IntN(100) == 0:
			classes["5xx"]++
		default:
			median := 20.0
			if sec >= burstFrom && sec < burstTo {
				median = 60
			}
			if err := h.RecordValue(int64(g.latency(median))); err != nil {
				return err
			}
		}
	}
	ok := h.TotalCount()
	g.sync.add(ok, classes, h)
	g.phases[phase][0].add(ok, classes, h)
	if err := g.syncLog.Write(interval(sec, h)); err != nil {
		return err
	}
	return g.line(sec, bundle.PathSync, "", n, ok, classes, h)
}

func (g *generator) acceptSecond(sec, n int, phase string) (int, error) {
	h := hist.New()
	classes := map[string]int64{}
	for range n {
		if sec >= burstFrom && sec < burstTo && g.rng.IntN(50) == 0 {
			classes["5xx"]++
			continue
		}
		if err := h.RecordValue(int64(g.latency(2))); err != nil {
			return 0, err
		}
	}
	ok := h.TotalCount()
	g.accept.add(ok, classes, h)
	g.phases[phase][1].add(ok, classes, h)
	if err := g.acceptLog.Write(interval(sec, h)); err != nil {
		return 0, err
	}
	return int(ok), g.line(sec, bundle.PathAsync, "", n, ok, classes, h)
}

// groupSecond completes what the group's consumers can this second: one
// message at a time, each taking 1/capacity s, none before it was sent.
func (g *generator) groupSecond(sec int, q *queue, phase string) error {
	h := hist.New()
	end := float64(sec + 1)
	q.clock = max(q.clock, float64(sec))
	c := 0
	if capacity := q.capacity(sec); capacity > 0 {
		for _, intended := range q.pending {
			done := max(q.clock, intended) + 1/float64(capacity)
			if done > end {
				break
			}
			if err := h.RecordValue(int64((done-intended)*float64(time.Second)) + int64(g.latency(15))); err != nil {
				return err
			}
			q.clock, c = done, c+1
		}
	}
	q.pending = q.pending[c:]
	q.total.latency.Merge(h)
	q.total.completed += int64(c)
	q.total.maxLag = max(q.total.maxLag, int64(len(q.pending)))
	g.phaseE2E[phase].latency.Merge(h)
	g.phaseE2E[phase].completed += int64(c)
	g.phaseE2E[phase].maxLag = max(g.phaseE2E[phase].maxLag, int64(len(q.pending)))
	if err := g.e2eLog.WriteTagged(interval(sec, h), q.name); err != nil {
		return err
	}
	if err := g.line(sec, bundle.PathAsyncE2E, q.name, 0, int64(c), nil, h); err != nil {
		return err
	}
	return g.timeline.Encode(bundle.TimelineLine{TS: float64(sec), Path: bundle.PathAsyncLag, Group: q.name, Lag: int64(len(q.pending))})
}

func (g *generator) events(sec int) error {
	var l *bundle.TimelineLine
	switch sec {
	case killAt:
		l = &bundle.TimelineLine{TS: killAt, Event: bundle.EventChaos, Action: "kill", Target: "consumer-email-1", PID: 4242}
	case killAt + 3:
		l = &bundle.TimelineLine{TS: killAt + 3, Event: bundle.EventStall, Group: "email"}
	case pauseAt:
		l = &bundle.TimelineLine{TS: pauseAt, Event: bundle.EventChaos, Action: "pause", Target: "backend-1,backend-2"}
	}
	if l == nil {
		return nil
	}
	return g.timeline.Encode(l)
}

func (g *generator) line(sec int, path, group string, offered int, ok int64, classes map[string]int64, h *hdr.Histogram) error {
	s := hist.Summarize(h)
	l := bundle.TimelineLine{TS: float64(sec), Path: path, Group: group, Offered: int64(offered), OK: ok,
		P50MS: s.P50, P90MS: s.P90, P99MS: s.P99, MaxMS: s.Max}
	for _, v := range classes {
		l.Errors += v
	}
	if l.Errors > 0 {
		l.Classes = classes
	}
	l.Completed = ok + l.Errors
	return g.timeline.Encode(l)
}

func interval(sec int, h *hdr.Histogram) *hist.Interval {
	return &hist.Interval{Index: int64(sec), Start: Started.Add(time.Duration(sec) * time.Second), Width: time.Second, Latency: h}
}
