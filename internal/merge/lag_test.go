package merge

import (
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
