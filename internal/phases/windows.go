package phases

import (
	"math"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// Window is a named span of the run, in seconds since its start; the last
// window is open-ended.
type Window struct {
	Name   string
	StartS float64
	EndS   float64
}

// Windows cuts a run at its faults: baseline until the first fault, fault
// until the last one is undone (or until the load ended, loadEndS, for a
// fault never undone), recovery after. No faults: no windows.
func Windows(faults []Fault, loadEndS float64) []Window {
	if len(faults) == 0 {
		return nil
	}
	first, last := math.Inf(1), 0.0
	for _, f := range faults {
		first = min(first, f.TS)
		end := loadEndS
		if f.EndS != nil {
			end = *f.EndS
		}
		last = max(last, end, f.TS)
	}
	return []Window{
		{Name: bundle.PhaseBaseline, StartS: 0, EndS: first},
		{Name: bundle.PhaseFault, StartS: first, EndS: last},
		{Name: bundle.PhaseRecovery, StartS: last, EndS: math.Inf(1)},
	}
}

// holdsSecond tells whether the second of the run starting at ts (a
// timeline line, a latency interval) belongs to w: the window holding its
// middle, the most of it. A fault at 30.003 s makes [30, 31) a fault second,
// not a baseline one; a restart at 45.2 s leaves [45, 46) to the recovery.
func (w Window) holdsSecond(ts float64) bool {
	middle := ts + 0.5
	return middle >= w.StartS && middle < w.EndS
}
