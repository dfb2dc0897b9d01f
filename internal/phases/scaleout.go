package phases

import (
	"github.com/loadchaos/loadgen/internal/bundle"
)

// scaleWindowS is how many seconds before a scale-out, and after it, its
// group's completions are counted in: long enough to average out a
// second's noise, short enough to stay within the backlog it drains.
const scaleWindowS = 5

// ScaleOut gives, for each scale-out among faults, the rate its group
// completed work at in the seconds before it began and after its
// consumers were ready, and when it caught up (bundle.ScaleOut), from
// the bundle's timeline. Only busy seconds count: seconds that began with
// at least as many messages waiting as the group completed in them, when
// the consumers did all they could rather than all there was (a few
// messages are always in flight). nil when the run had no scale-out.
func ScaleOut(dir string, faults []Fault) ([]bundle.ScaleOut, error) {
	var scales []Fault
	for _, f := range faults {
		if f.Action == bundle.ActionScale {
			scales = append(scales, f)
		}
	}
	if len(scales) == 0 {
		return nil, nil
	}
	groups, accepted, err := readSeconds(dir)
	if err != nil {
		return nil, err
	}
	out := make([]bundle.ScaleOut, len(scales))
	for i, f := range scales {
		out[i] = bundle.ScaleOut{TS: round(f.TS), Group: f.Group, Added: len(f.Targets)}
		g := groups[f.Group]
		if g == nil {
			continue
		}
		backlog := g.backlogs(accepted)
		busy := func(s int) bool {
			return s >= 1 && s < len(backlog) && backlog[s-1] > 0 && backlog[s-1] >= g.completed[s]
		}
		began := int(f.BeganS) // the second it began in is partly before, partly during
		if began >= 1 && began-1 < len(backlog) {
			out[i].Backlog = backlog[began-1]
		}
		out[i].RateBeforePerS, out[i].BeforeS = busyRate(g.completed, busy, began-1, -1)
		out[i].RateAfterPerS, out[i].AfterS = busyRate(g.completed, busy, int(f.TS)+1, 1)
		for s := int(f.TS) + 1; s < len(backlog); s++ {
			if !busy(s) {
				caughtUp := round(float64(s) - f.TS)
				out[i].CaughtUpS = &caughtUp
				break
			}
		}
		if b, a := out[i].RateBeforePerS, out[i].RateAfterPerS; b != nil && a != nil && *b > 0 {
			ratio := round(*a / *b)
			out[i].RateRatio = &ratio
		}
	}
	return out, nil
}

// busyRate is the mean of completed over the busy seconds from from, in
// direction step, as far as the first second that is not busy and at most
// scaleWindowS of them; nil, 0 when from is not busy.
func busyRate(completed map[int]int64, busy func(int) bool, from, step int) (*float64, int) {
	var sum int64
	n := 0
	for s := from; n < scaleWindowS && busy(s); s += step {
		sum += completed[s]
		n++
	}
	if n == 0 {
		return nil, 0
	}
	r := round(float64(sum) / float64(n))
	return &r, n
}
