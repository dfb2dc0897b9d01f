package phases

import (
	"math"
	"slices"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// health is what one second of the run looked like, as far as telling
// trouble goes; a signal is NaN when the second had none of it.
type health struct {
	syncErrorRatio, syncP99     float64
	acceptErrorRatio, acceptP99 float64
	e2eP99                      float64 // worst group
	lag                         float64 // worst group
}

func unknownHealth() health {
	n := math.NaN()
	return health{n, n, n, n, n, n}
}

func (h *health) signals() []*float64 {
	return []*float64{&h.syncErrorRatio, &h.syncP99, &h.acceptErrorRatio, &h.acceptP99, &h.e2eP99, &h.lag}
}

// observe adds a timeline line to its second.
func (h *health) observe(l bundle.TimelineLine) {
	ratio := func(bad, all int64) float64 {
		if all == 0 {
			return math.NaN()
		}
		return float64(bad) / float64(all)
	}
	worst := func(cur, v float64) float64 {
		if math.IsNaN(cur) {
			return v
		}
		return max(cur, v)
	}
	switch l.Path {
	case bundle.PathSync:
		h.syncErrorRatio, h.syncP99 = ratio(l.Errors, l.Completed), l.P99MS
	case bundle.PathAsync:
		h.acceptErrorRatio, h.acceptP99 = ratio(l.Errors, l.Completed), l.P99MS
	case bundle.PathAsyncE2E:
		if l.Completed > 0 {
			h.e2eP99 = worst(h.e2eP99, l.P99MS)
		}
	case bundle.PathAsyncLag:
		h.lag = worst(h.lag, float64(l.Lag))
	}
}

// band is the normal range of each signal, from the baseline's medians:
// a median shrugs off a burst or two that the baseline may hold.
type band [6]float64

// warmup seconds at the start of the baseline are left out of the band:
// connections and consumer groups are still settling.
const warmup = 2

// bandOf computes the band from the baseline seconds; ok is false when the
// baseline is too short to say what normal is.
func bandOf(seconds []health, baselineEnd float64) (band, bool) {
	var b band
	end := len(seconds)
	if baselineEnd < float64(end) {
		end = int(baselineEnd)
	}
	if end-warmup < 3 {
		return b, false
	}
	floors := band{0.01, 50, 0.01, 50, 200, 100} // absolute slack: ratio, ms, ratio, ms, ms, messages
	for i := range b {
		var vs []float64
		for _, h := range seconds[warmup:end] {
			if v := *h.signals()[i]; !math.IsNaN(v) {
				vs = append(vs, v)
			}
		}
		med := 0.0
		if len(vs) > 0 {
			slices.Sort(vs)
			med = vs[len(vs)/2]
		}
		if i == 0 || i == 2 {
			b[i] = max(2*med, med+floors[i]) // error ratios
		} else {
			b[i] = max(3*med, med+floors[i])
		}
	}
	return b, true
}

func (b band) breached(h health) bool {
	for i, v := range h.signals() {
		if !math.IsNaN(*v) && *v > b[i] {
			return true
		}
	}
	return false
}

// RecoveredAfter is how many seconds in a row must be inside the band.
const RecoveredAfter = 5

// detectRecover finds, for a fault at ts, the first second at or after it
// outside the band, and the first of RecoveredAfter seconds in a row back
// inside it after that; both in seconds after ts, nil when it never happened.
func detectRecover(seconds []health, b band, ts float64) (detect, recover *float64) {
	if !(ts < float64(len(seconds))) {
		return nil, nil
	}
	for s := int(max(ts, 0)); s < len(seconds); s++ {
		if !b.breached(seconds[s]) {
			continue
		}
		d := max(float64(s)-ts, 0)
		detect = &d
		for r := s + 1; r+RecoveredAfter <= len(seconds); r++ {
			if !slices.ContainsFunc(seconds[r:r+RecoveredAfter], b.breached) {
				rec := float64(r) - ts
				return detect, &rec
			}
		}
		return detect, nil
	}
	return nil, nil
}
