package phases

import (
	"math"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// Analysis is what a bundle and its journal tell of a run with chaos.
type Analysis struct {
	Phases map[string]*bundle.Phase // nil without faults
	Chaos  []bundle.ChaosEvent
}

// Analyze reads the bundle in dir and the chaos journal at journal (which
// may be missing: no faults). started is the run's offset 0 (summary
// run.started), loadEndS when its load ended and endS when its records end.
func Analyze(dir, journal string, started time.Time, loadEndS, endS float64) (*Analysis, error) {
	faults, err := ReadJournal(journal, started)
	if err != nil {
		return nil, err
	}
	a := &Analysis{Chaos: []bundle.ChaosEvent{}}
	var windows []*window
	for _, w := range Windows(faults, loadEndS) {
		windows = append(windows, &window{Window: w, sync: newTally(), accept: newTally(), e2e: newTally()})
	}
	var seconds []health
	err = bundle.ReadTimeline(dir, func(l bundle.TimelineLine) error {
		if l.Path == "" {
			return nil
		}
		addTimeline(l, windows)
		s := int(l.TS) // ReadTimeline bounds it
		for len(seconds) <= s {
			seconds = append(seconds, unknownHealth())
		}
		seconds[s].observe(l)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(windows) > 0 {
		if err := addLogs(dir, started, windows); err != nil {
			return nil, err
		}
		a.Phases = phasesOf(windows, endS)
	}
	b, haveBand := bandOf(seconds, math.Inf(1))
	if len(windows) > 0 {
		b, haveBand = bandOf(seconds, windows[0].EndS)
	}
	for _, f := range faults {
		ev := bundle.ChaosEvent{TS: round(f.TS), Action: f.Action, Target: f.Target(), PIDs: f.PIDs, EndS: f.EndS,
			When: f.When, Value: f.Value}
		if len(f.PIDs) == 1 {
			ev.PID = f.PIDs[0]
		}
		if haveBand {
			ev.DetectS, ev.RecoverS = detectRecover(seconds, b, f.TS)
		}
		a.Chaos = append(a.Chaos, ev)
	}
	return a, nil
}

func round(v float64) float64 { return math.Round(v*1000) / 1000 }
