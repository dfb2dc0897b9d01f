package report

import (
	"fmt"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// scaleOutTable is each scale-out of the run and its group's drain rate
// before and after it: consumers added, and what they changed.
func scaleOutTable(s *bundle.Summary) (table, bool) {
	if s.Async == nil || len(s.Async.ScaleOut) == 0 {
		return table{}, false
	}
	t := table{
		Title: "scale-out",
		Note: "consumers added to a group; its completions a second (drain rate) over up to 5 busy seconds, " +
			"with at least a second's work waiting, before the scale began and after they were ready",
		Head: [][]string{{"group", "at s", "added", "backlog", "before /s", "after /s", "after / before", "caught up s"}},
	}
	for _, so := range s.Async.ScaleOut {
		ratio := none
		if so.RateRatio != nil {
			ratio = fmt.Sprintf("%.2f", *so.RateRatio)
		}
		t.Rows = append(t.Rows, []string{so.Group, seconds(so.TS), fmt.Sprint(so.Added), count(so.Backlog),
			busyRate(so.RateBeforePerS, so.BeforeS), busyRate(so.RateAfterPerS, so.AfterS), ratio, secondsOf(so.CaughtUpS)})
	}
	return t, true
}

// busyRate is a rate and the busy seconds it was measured over.
func busyRate(v *float64, overS int) string {
	if v == nil {
		return none
	}
	return fmt.Sprintf("%s (%d s)", rate(*v), overS)
}
