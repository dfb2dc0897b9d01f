package report

import (
	"maps"
	"slices"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// syncRequestsTable and asyncRequestsTable are a path's kinds of request
// (a mix), one row each by name and the path's total under them; worth
// showing only with several kinds (one kind's figures are the path's).
func syncRequestsTable(s *bundle.Summary) (table, bool) {
	if s.Sync == nil || len(s.Sync.Requests) < 2 {
		return table{}, false
	}
	figures := map[string]bundle.Figures{}
	for name, r := range s.Sync.Requests {
		figures[name] = r.Figures()
	}
	return requestsTable("sync requests", "ok", "errors", figures, s.Sync.Figures()), true
}

func asyncRequestsTable(s *bundle.Summary) (table, bool) {
	if s.Async == nil || len(s.Async.Requests) < 2 {
		return table{}, false
	}
	figures := map[string]bundle.Figures{}
	for name, r := range s.Async.Requests {
		figures[name] = r.Figures()
	}
	return requestsTable("async requests", "accepted", "rejected", figures, s.Async.Figures()), true
}

func requestsTable(title, ok, errors string, figures map[string]bundle.Figures, total bundle.Figures) table {
	t := table{Title: title, Note: "each kind of request of the mix: latency from the intended send time",
		Head: [][]string{{"request", "sent", ok, errors, "error ratio", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "mean ms"}}}
	for _, name := range slices.Sorted(maps.Keys(figures)) {
		t.Rows = append(t.Rows, append([]string{name}, figureCells(figures[name])...))
	}
	t.Rows = append(t.Rows, append([]string{"all"}, figureCells(total)...))
	return t
}
