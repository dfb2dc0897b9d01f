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

func (w Window) contains(ts float64) bool { return ts >= w.StartS && ts < w.EndS }
