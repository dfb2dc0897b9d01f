package report

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// pathSeconds is one path's (or one consumer group's) figures per second.
type pathSeconds struct {
	seen                            bool
	offered, answered, ok, p50, p99 perSec
	classes                         map[string]*perSec
}

// timeline is a bundle's timeline.jsonl gathered per second for the charts.
type timeline struct {
	length       int // seconds
	sync, accept pathSeconds
	e2e          map[string]*pathSeconds // by consumer group
	lag          map[string]*perSec      // by consumer group
	stalls       []marker
}

func readTimeline(dir string) (*timeline, error) {
	tl := &timeline{e2e: map[string]*pathSeconds{}, lag: map[string]*perSec{}}
	err := bundle.ReadTimeline(dir, func(l bundle.TimelineLine) error {
		if l.Event == bundle.EventStall {
			tl.stalls = append(tl.stalls, marker{Kind: "stall", TS: l.TS, Label: "stall " + l.Group})
			return nil
		}
		if l.Path == "" {
			return nil
		}
		sec := int(math.Round(l.TS)) // ReadTimeline bounds it
		tl.length = max(tl.length, sec+1)
		switch l.Path {
		case bundle.PathSync:
			tl.sync.add(sec, l)
		case bundle.PathAsync:
			tl.accept.add(sec, l)
		case bundle.PathAsyncE2E:
			if tl.e2e[l.Group] == nil {
				tl.e2e[l.Group] = &pathSeconds{}
			}
			tl.e2e[l.Group].add(sec, l)
		case bundle.PathAsyncLag:
			if tl.lag[l.Group] == nil {
				tl.lag[l.Group] = &perSec{}
			}
			tl.lag[l.Group].set(sec, float64(l.Lag))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return tl, nil
}

func (p *pathSeconds) add(sec int, l bundle.TimelineLine) {
	p.seen = true
	p.offered.set(sec, float64(l.Offered))
	p.answered.set(sec, float64(l.Completed))
	p.ok.set(sec, float64(l.OK))
	if l.P50MS > 0 {
		p.p50.set(sec, l.P50MS)
		p.p99.set(sec, l.P99MS)
	}
	for class, n := range l.Classes {
		if p.classes == nil {
			p.classes = map[string]*perSec{}
		}
		if p.classes[class] == nil {
			p.classes[class] = &perSec{}
		}
		p.classes[class].set(sec, float64(n))
	}
}

func groupLabel(prefix, group string, groups int) string {
	if groups < 2 {
		return prefix
	}
	return prefix + " " + group
}

func (tl *timeline) x() []num {
	x := make([]num, tl.length)
	for i := range x {
		x[i] = num(i)
	}
	return x
}

func (tl *timeline) latencyChart() chart {
	c := chart{ID: "latency", Kind: "time", YLog: true, YLabel: "ms", X: tl.x(),
		Title: "Latency over time",
		Note:  "p50 dashed, p99 solid, per second, from the intended send time (log scale). Phases shaded, faults marked."}
	add := func(label, color string, p *pathSeconds) {
		if p.seen {
			c.Series = append(c.Series,
				series{Label: label + " p50", Color: color, Style: "dash", Values: p.p50.padded(tl.length)},
				series{Label: label + " p99", Color: color, Values: p.p99.padded(tl.length)})
		}
	}
	add("sync", colorSync, &tl.sync)
	add("async accept", colorAccept, &tl.accept)
	names := sortedKeys(tl.e2e)
	for i, g := range names {
		add(groupLabel("async e2e", g, len(names)), paletteColor(i), tl.e2e[g])
	}
	return c.orEmpty("no latencies recorded")
}

func (tl *timeline) ratesChart() chart {
	c := chart{ID: "rates", Kind: "time", YLabel: "per second", X: tl.x(),
		Title: "Offered, achieved and completed",
		Note:  "Requests the schedule offered (dotted), answers received (dashed), and work done: sync answered ok, async accepted and completed by consumers."}
	if tl.sync.seen {
		c.Series = append(c.Series,
			series{Label: "sync answered", Color: colorSync, Style: "dash", Values: tl.sync.answered.zeroed(tl.length)},
			series{Label: "sync ok", Color: colorSync, Values: tl.sync.ok.zeroed(tl.length)})
	}
	if tl.accept.seen {
		c.Series = append(c.Series, series{Label: "async accepted", Color: colorAccept, Values: tl.accept.ok.zeroed(tl.length)})
	}
	names := sortedKeys(tl.e2e)
	for i, g := range names {
		c.Series = append(c.Series, series{Label: groupLabel("async completed", g, len(names)), Color: paletteColor(i),
			Values: tl.e2e[g].ok.zeroed(tl.length)})
	}
	// offered last: drawn over the lines that follow it closely
	offered := &tl.sync
	if !offered.seen {
		offered = &tl.accept
	}
	if offered.seen {
		c.Series = append(c.Series, series{Label: "offered", Color: colorOffered, Style: "dot", Values: offered.offered.zeroed(tl.length)})
	}
	return c.orEmpty("no requests recorded")
}

func (tl *timeline) lagChart() chart {
	c := chart{ID: "lag", Kind: "time", YLabel: "messages", X: tl.x(),
		Title: "Consumer lag",
		Note:  "Messages waiting for each consumer group, sampled every second. Stalls (lag and no progress) are marked."}
	for i, g := range sortedKeys(tl.lag) {
		c.Series = append(c.Series, series{Label: "lag " + g, Color: paletteColor(i), Values: tl.lag[g].padded(tl.length)})
	}
	return c.orEmpty("no consumer lag sampled: the run read no completions")
}

func (tl *timeline) errorsChart() chart {
	c := chart{ID: "errors", Kind: "time", YLabel: "per second", X: tl.x(),
		Title: "Errors by class",
		Note:  "Sync errors and async rejections per second, by class."}
	paths := []struct {
		name string
		p    *pathSeconds
	}{{"sync", &tl.sync}, {"async", &tl.accept}}
	for _, path := range paths {
		if !path.p.seen {
			continue
		}
		if len(path.p.classes) == 0 {
			c.Series = append(c.Series, series{Label: path.name + ": none", Color: errorColor(len(c.Series)),
				Values: (perSec{}).zeroed(tl.length)})
		}
		for _, class := range slices.Sorted(maps.Keys(path.p.classes)) {
			c.Series = append(c.Series, series{Label: fmt.Sprintf("%s %s", path.name, class), Color: errorColor(len(c.Series)),
				Values: path.p.classes[class].zeroed(tl.length)})
		}
	}
	return c.orEmpty("no requests recorded")
}

// orEmpty marks a chart with no series as empty, saying why.
func (c chart) orEmpty(why string) chart {
	if len(c.Series) == 0 {
		c.Empty, c.X = why, nil
	}
	return c
}
