package run

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/gate"
	"github.com/loadchaos/loadgen/internal/hist"
	"github.com/loadchaos/loadgen/internal/pace"
	"github.com/loadchaos/loadgen/profiles"
)

// live is the run's figures of the last second, as the timeline writes
// them, for the chaos events triggered by the load. One second, not a
// longer window: a fault aimed at a rising lag or error ratio should land
// while it rises, and the figure journaled is then one the timeline shows
// at that second. The lag is a sample, not a count: its last value.
type live struct {
	mu    sync.Mutex
	sync  *bundle.TimelineLine
	async *bundle.TimelineLine
	e2e   map[string]bundle.TimelineLine // by group
	lag   map[string]int64               // by group
}

func newLive() *live {
	return &live{e2e: map[string]bundle.TimelineLine{}, lag: map[string]int64{}}
}

// observe keeps line when it is a second of a path.
func (l *live) observe(line bundle.TimelineLine) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch line.Path {
	case bundle.PathSync:
		l.sync = &line
	case bundle.PathAsync:
		l.async = &line
	case bundle.PathAsyncE2E:
		l.e2e[line.Group] = line
	case bundle.PathAsyncLag:
		l.lag[line.Group] = line.Lag
	}
}

// summary is the last second as a summary that package gate reads: the
// figures livePaths lists are filled in, the rest are zero or null.
func (l *live) summary() *bundle.Summary {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := &bundle.Summary{}
	if t := l.sync; t != nil {
		s.Sync = &bundle.Sync{Sent: t.Completed, OK: t.OK, Errors: t.Errors, ErrorClass: t.Classes, LatencyMS: latencyOf(t)}
	}
	if t := l.async; t != nil || len(l.lag) > 0 || len(l.e2e) > 0 {
		a := &bundle.Async{Groups: map[string]*bundle.Group{}}
		if t != nil {
			a.Sent, a.Accepted, a.Rejected, a.ErrorClass, a.AcceptLatencyMS = t.Completed, t.OK, t.Errors, t.Classes, latencyOf(t)
		}
		group := func(name string) *bundle.Group {
			if a.Groups[name] == nil {
				a.Groups[name] = &bundle.Group{}
			}
			return a.Groups[name]
		}
		for name, t := range l.e2e {
			g := group(name)
			g.Completed, g.E2ELatencyMS = t.Completed, latencyOf(&t)
		}
		if len(l.lag) > 0 {
			var worst int64
			for name, lag := range l.lag {
				group(name).MaxLag = lag
				worst = max(worst, lag)
			}
			a.MaxLag = &worst
		}
		s.Async = a
	}
	return s
}

func latencyOf(t *bundle.TimelineLine) hist.LatencyMS {
	return hist.LatencyMS{P50: t.P50MS, P90: t.P90MS, P99: t.P99MS, Max: t.MaxMS}
}

// livePaths are the gate paths a condition may use: what a second of the
// timeline holds. "*" stands for any error class or group name.
var livePaths = func() []string {
	var paths []string
	latencies := func(prefix string) {
		for _, q := range []string{"p50", "p90", "p99", "max"} {
			paths = append(paths, prefix+"."+q)
		}
	}
	paths = append(paths, "sync.sent", "sync.ok", "sync.errors", "sync.error_classes.*", "sync.error_ratio")
	latencies("sync.latency_ms")
	paths = append(paths, "async.sent", "async.accepted", "async.rejected", "async.error_classes.*", "async.reject_ratio",
		"async.max_lag", "async.groups.*.completed", "async.groups.*.max_lag")
	latencies("async.accept_latency_ms")
	latencies("async.groups.*.e2e_latency_ms")
	return paths
}()

// parseCondition reads a chaos event's when: a threshold expression of
// package gate whose path is one of livePaths.
func parseCondition(text string) (*gate.Expr, error) {
	e, err := gate.Parse(text)
	if err != nil {
		return nil, err
	}
	var names []string
	wild := false
	for _, s := range e.Path {
		switch {
		case wild || s.All:
			names = append(names, "*")
		case s.Name == "":
			names = append(names, fmt.Sprintf("[%d]", s.Index))
		default:
			names = append(names, s.Name)
		}
		wild = s.Name == "groups" || s.Name == "error_classes"
	}
	key := strings.Join(names, ".")
	for _, p := range livePaths {
		if key == p {
			return e, nil
		}
	}
	return nil, fmt.Errorf("%s is not a figure of a second of the run: a condition may use %s", key, strings.Join(livePaths, ", "))
}

// condition is a when of the profile checked against the live figures.
type condition struct {
	expr *gate.Expr
	view *live
}

var _ chaos.Condition = condition{}

func (c condition) Check() (float64, bool) {
	t := c.expr.Eval(c.view.summary())
	return t.Value, t.OK
}

func (c condition) String() string { return c.expr.Text }

// momentAt is when m comes in a run of shape over duration, or why it
// does not come.
func momentAt(m profiles.Moment, shape pace.Shape, duration time.Duration) (time.Duration, string) {
	n := 0
	for b := range pace.Bursts(shape, duration) {
		if n < m.Burst {
			n++
			continue
		}
		switch m.Kind {
		case "start":
			return b.Start, ""
		case "end":
			return b.End, ""
		default:
			return b.Peak(), ""
		}
	}
	return 0, fmt.Sprintf("%s does not come: the run plays %d bursts", m, n)
}
