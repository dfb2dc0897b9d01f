package report

import (
	"maps"
	"slices"
	"strconv"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// orderTable is each group's order violations when the run keyed its
// messages by entity: the price at-least-once delivery pays in order, kept
// apart from what a consumer broke on its own (first completions).
func orderTable(s *bundle.Summary) (table, bool) {
	if s.Async == nil || s.Async.EventsPerKey == 0 || len(s.Async.Groups) == 0 {
		return table{}, false
	}
	t := table{
		Title: "order per key",
		Note: strconv.Itoa(s.Async.EventsPerKey) + " events per key, " + strconv.Itoa(max(s.Async.KeySpacing, 1)) + " requests apart; " +
			"a violation is an event completed after a later event of its key, by its first completion or by a redelivery",
		Head: [][]string{{"group", "order violations", "by first completions", "by redeliveries", "duplicated"}},
	}
	for _, name := range slices.Sorted(maps.Keys(s.Async.Groups)) {
		g := s.Async.Groups[name]
		t.Rows = append(t.Rows, []string{name, countOf(g.OrderViolations), countOf(g.OrderViolationsFirst),
			countOf(g.OrderViolationsRedelivered), count(g.Duplicates)})
	}
	return t, true
}
