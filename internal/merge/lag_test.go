package merge

import (
	"fmt"
	"slices"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

func TestSegmentsLagOfTheUsersGroupsMergesToTheWorst(t *testing.T) {
	// Each segment sampled the same groups; the merged run's lag is the
	// worst any segment saw, partition by partition.
	a := addAsync(nil, &bundle.Async{LagTopic: "orders", LagGroups: map[string]*bundle.LagGroup{
		"billing": {MaxLag: 50, MaxLagByPartition: []int64{10, 40}},
	}})
	a = addAsync(a, &bundle.Async{LagTopic: "orders", LagGroups: map[string]*bundle.LagGroup{
		"billing": {MaxLag: 45, MaxLagByPartition: []int64{30, 5, 10}},
		"search":  {MaxLag: 7, MaxLagByPartition: []int64{7}},
	}})
	billing, search := a.LagGroups["billing"], a.LagGroups["search"]
	if a.LagTopic != "orders" || billing == nil || search == nil {
		t.Fatalf("merged %q %v; want topic orders, groups billing and search", a.LagTopic, a.LagGroups)
	}
	if billing.MaxLag != 50 || !slices.Equal(billing.MaxLagByPartition, []int64{30, 40, 10}) {
		t.Errorf("billing %+v; want max 50, by partition [30 40 10]", billing)
	}
	if search.MaxLag != 7 || !slices.Equal(search.MaxLagByPartition, []int64{7}) {
		t.Errorf("search %+v; want max 7 on its one partition", search)
	}
}

func TestTheMergedTimelineKeepsTheWorstLagOfEachPartition(t *testing.T) {
	tl := &timeline{lines: map[lineKey]*bundle.TimelineLine{}}
	tl.add(bundle.TimelineLine{TS: 3, Path: bundle.PathAsyncLag, Group: "billing", Lag: 7, PartitionLag: []int64{4, 3}})
	tl.add(bundle.TimelineLine{TS: 3, Path: bundle.PathAsyncLag, Group: "billing", Lag: 9, PartitionLag: []int64{2, 6, 1}})
	got := tl.lines[lineKey{bundle.PathAsyncLag, "billing", 3000}]
	if got.Lag != 9 || fmt.Sprint(got.PartitionLag) != "[4 6 1]" {
		t.Errorf("merged lag %d by partition %v; want 9, [4 6 1]", got.Lag, got.PartitionLag)
	}
}
