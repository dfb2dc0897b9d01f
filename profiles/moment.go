package profiles

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Moment is a moment of the load's own schedule: the start, the peak (its
// middle) or the end of burst number Burst, counted from 0 over the whole
// run, the stages and their loops together, as gate counts list elements.
type Moment struct {
	Kind  string // one of MomentKinds
	Burst int
}

// MomentKinds are the moments of a burst an event may be placed at.
var MomentKinds = []string{"start", "peak", "end"}

// maxBurstDigits bounds the burst number a moment is read with.
const maxBurstDigits = 9

// ParseMoment reads burst.KIND or burst.KIND[N]: burst.peak is the first
// burst's peak, burst.start[2] the third burst's start.
func ParseMoment(s string) (Moment, error) {
	rest, ok := strings.CutPrefix(s, "burst.")
	if !ok {
		return Moment{}, fmt.Errorf("%q is not a moment: want burst.start, burst.peak or burst.end, with [N] for burst N from 0", s)
	}
	kind, index, hasIndex := strings.Cut(rest, "[")
	m := Moment{Kind: kind}
	if !slices.Contains(MomentKinds, kind) {
		return Moment{}, fmt.Errorf("%q is not a moment of a burst: want one of burst.start, burst.peak, burst.end", s)
	}
	if hasIndex {
		digits, ok := strings.CutSuffix(index, "]")
		n, err := strconv.Atoi(digits)
		if !ok || err != nil || n < 0 || len(digits) > maxBurstDigits || strings.HasPrefix(digits, "+") {
			return Moment{}, fmt.Errorf("%q: want a burst number from 0 in brackets, like burst.%s[2]", s, kind)
		}
		m.Burst = n
	}
	return m, nil
}

// String writes the moment as ParseMoment reads it.
func (m Moment) String() string {
	if m.Burst == 0 {
		return "burst." + m.Kind
	}
	return fmt.Sprintf("burst.%s[%d]", m.Kind, m.Burst)
}

// burstsAtMost bounds how many bursts the run plays: each burst stage's
// periods, as often as the stages loop. Jitter may push the last burst of
// a stage past its end, so the run may play fewer (see the run's journal).
func (p *Profile) burstsAtMost() int {
	total := p.StagesTotal()
	if total <= 0 {
		return 0
	}
	var once int64
	for _, s := range p.Stages {
		if s.Shape == "burst" && s.Period > 0 {
			once += int64((s.For + s.Period - 1) / s.Period)
		}
	}
	loops := int64((p.Duration + total - 1) / total)
	return int(min(once*loops, 1<<31-1))
}
