package gate

import (
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

func TestThresholdsReachTheUsersGroupsLag(t *testing.T) {
	s := &bundle.Summary{Schema: bundle.Schema, Async: &bundle.Async{LagGroups: map[string]*bundle.LagGroup{
		"billing": {MaxLag: 700, MaxLagByPartition: []int64{1, 700}},
	}}}
	got, err := Check(s, []string{"async.lag_groups.billing.max_lag < 500", "async.lag_groups[*].max_lag_by_partition[*] < 1000"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].OK || got[0].Value != 700 || !got[1].OK {
		t.Fatalf("thresholds %+v; want the group's 700 to fail < 500 and every partition to pass < 1000", got)
	}
}
