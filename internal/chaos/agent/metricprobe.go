package agent

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/gate"
)

// MetricProbe holds while a loadgen run's latest second meets a threshold
// written as `loadgen gate` reads them (package gate), over a figure each
// second of the run's timeline also has: such as
// async.accept_latency_ms.p99 < 250. Timeline is the run's timeline.jsonl
// (timeline.jsonl.partial while the run goes on), its bundle directory, or
// a results root: there, the newest bundle still being written.
type MetricProbe struct {
	Timeline string
	Expr     *gate.Expr
	figure   secondFigure
}

var _ chaos.Probe = MetricProbe{}

// secondFigure is a summary figure as one second of the timeline has it:
// on the lines of a path, read by of.
type secondFigure struct {
	path string
	of   func(bundle.TimelineLine) float64
}

// perSecond maps the summary's figures (gate's names) that a second of the
// timeline also has to where it keeps them. A second knows no p999, mean,
// lost or duplicates.
var perSecond = func() map[string]secondFigure {
	m := map[string]secondFigure{
		"sync.errors":        {bundle.PathSync, func(l bundle.TimelineLine) float64 { return float64(l.Errors) }},
		"sync.error_ratio":   {bundle.PathSync, errorRatio},
		"async.rejected":     {bundle.PathAsync, func(l bundle.TimelineLine) float64 { return float64(l.Errors) }},
		"async.reject_ratio": {bundle.PathAsync, errorRatio},
		"async.max_lag":      {bundle.PathAsyncLag, func(l bundle.TimelineLine) float64 { return float64(l.Lag) }},
	}
	stats := map[string]func(bundle.TimelineLine) float64{
		"p50": func(l bundle.TimelineLine) float64 { return l.P50MS },
		"p90": func(l bundle.TimelineLine) float64 { return l.P90MS },
		"p99": func(l bundle.TimelineLine) float64 { return l.P99MS },
		"max": func(l bundle.TimelineLine) float64 { return l.MaxMS },
	}
	for figure, path := range map[string]string{"sync.latency_ms": bundle.PathSync,
		"async.accept_latency_ms": bundle.PathAsync, "async.e2e_latency_ms": bundle.PathAsyncE2E} {
		for stat, of := range stats {
			m[figure+"."+stat] = secondFigure{path, of}
		}
	}
	return m
}()

func errorRatio(l bundle.TimelineLine) float64 {
	if l.Completed == 0 {
		return 0
	}
	return float64(l.Errors) / float64(l.Completed)
}

// ParseMetric reads a threshold such as "async.accept_latency_ms.p99 < 250"
// on timeline. A steady state bounds a figure from above: the operator is
// <, <= or ==.
func ParseMetric(expr, timeline string) (MetricProbe, error) {
	e, err := gate.Parse(expr)
	if err != nil {
		return MetricProbe{}, err
	}
	figure, ok := perSecond[e.PathText()]
	if !ok {
		names := make([]string, 0, len(perSecond))
		for name := range perSecond {
			names = append(names, name)
		}
		slices.Sort(names)
		return MetricProbe{}, fmt.Errorf("%s: a second of a run's timeline has no such figure; a probe reads %s", e.PathText(), strings.Join(names, ", "))
	}
	if !slices.Contains([]gate.Op{gate.Less, gate.LessEq, gate.Equal}, e.Op) {
		return MetricProbe{}, fmt.Errorf("%s: a steady state bounds a figure from above: use <, <= or ==, not %s", e.PathText(), e.Op)
	}
	return MetricProbe{Timeline: timeline, Expr: e, figure: figure}, nil
}

func (p MetricProbe) String() string { return p.Expr.String() }

func (p MetricProbe) Check(context.Context) error {
	file, err := timelineFile(p.Timeline)
	if err != nil {
		return err
	}
	ts, value, err := latest(file, p.figure.path, p.figure.of)
	if err != nil {
		return err
	}
	if p.Expr.Op.Holds(value, p.Expr.Bound) {
		return nil
	}
	return fmt.Errorf("%s is %g in second %g of %s", p.Expr.PathText(), value, ts, file)
}
