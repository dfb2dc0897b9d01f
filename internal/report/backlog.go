package report

import (
	"fmt"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// backlogTable is the run's largest backlog and its drain, observed and as
// Little's law predicts it: the queue leveling a burst.
func backlogTable(s *bundle.Summary) (table, bool) {
	if s.Async == nil || s.Async.Backlog == nil {
		return table{}, false
	}
	b := s.Async.Backlog
	errorCell := none
	if b.DrainErrorRatio != nil {
		errorCell = fmt.Sprintf("%.0f%%", 100**b.DrainErrorRatio)
	}
	return table{
		Title: "backlog",
		Note:  "the largest backlog (accepted, not yet completed) and its drain; predicted by Little's law: peak / (completed /s while it grew - accepted /s after the peak)",
		Head:  [][]string{{"", "group " + b.Group}},
		Rows: [][]string{
			{"peak (messages)", count(b.Peak)},
			{"at s", seconds(b.PeakS)},
			{"completed /s while it grew", rate(b.ServiceRate)},
			{"accepted /s after the peak", rate(b.ArrivalRate)},
			{"drain predicted s", secondsOf(b.PredictedDrainS)},
			{"drain observed s", secondsOf(b.ObservedDrainS)},
			{"prediction off by", errorCell},
		},
	}, true
}
