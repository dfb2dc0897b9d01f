package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// lagGroupsTable is one row per consumer group of the user's the run
// watched (--lag-group): its worst lag, and each partition's worst.
func lagGroupsTable(s *bundle.Summary) (table, bool) {
	if s.Async == nil || len(s.Async.LagGroups) == 0 {
		return table{}, false
	}
	t := table{Title: "your consumer groups' lag", TextLast: true,
		Note: fmt.Sprintf("messages of topic %s not yet committed, sampled each second: the worst second", s.Async.LagTopic),
		Head: [][]string{{"group", "max lag", "max lag by partition"}}}
	for _, name := range slices.Sorted(maps.Keys(s.Async.LagGroups)) {
		g := s.Async.LagGroups[name]
		t.Rows = append(t.Rows, []string{name, count(g.MaxLag), partitionLags(g.MaxLagByPartition)})
	}
	return t, true
}

// shownPartitions bounds the partitions a row lists: beyond, only the
// worst are shown, so a topic of hundreds keeps the table readable.
const shownPartitions = 12

// partitionLags lists "p0 12, p1 40, ..." in partition order, or the worst
// shownPartitions of more, worst first.
func partitionLags(lags []int64) string {
	if len(lags) == 0 {
		return none
	}
	parts := make([]int, len(lags))
	for p := range parts {
		parts[p] = p
	}
	prefix := ""
	if len(parts) > shownPartitions {
		slices.SortStableFunc(parts, func(a, b int) int { return cmp.Compare(lags[b], lags[a]) })
		prefix = fmt.Sprintf("worst %d of %d: ", shownPartitions, len(parts))
		parts = parts[:shownPartitions]
	}
	cells := make([]string, len(parts))
	for i, p := range parts {
		cells[i] = fmt.Sprintf("p%d %s", p, count(lags[p]))
	}
	return prefix + strings.Join(cells, ", ")
}
