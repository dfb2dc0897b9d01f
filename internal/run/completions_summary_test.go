package run

import (
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/ledger"
)

// TestTheSummaryCountsARejectedJobCompletedApartFromUnexpected: the edge
// rejected job 1 (a 503 whose produce still went through) and both groups
// completed it; it is completed_after_rejection, while an id of another run
// and a completion of an undeclared group stay unexpected.
func TestTheSummaryCountsARejectedJobCompletedApartFromUnexpected(t *testing.T) {
	const prefix = "r1-a"
	c := &completions{prefix: prefix, groups: []*group{
		{name: "billing", ledger: ledger.New(4)},
		{name: "audit", ledger: ledger.New(4)},
	}}
	c.accept(0)
	for _, m := range []drive.Completion{
		{Group: "billing", ID: prefix + "0"},
		{Group: "billing", ID: prefix + "1"},
		{Group: "billing", ID: "r0-a0"},
		{Group: "audit", ID: prefix + "0"},
		{Group: "audit", ID: prefix + "1"},
		{Group: "nobody", ID: prefix + "0"},
	} {
		c.complete(m)
	}
	var a bundle.Async
	c.summarize(&a, true)
	if a.CompletedAfterRejection == nil || *a.CompletedAfterRejection != 2 || a.Unexpected == nil || *a.Unexpected != 2 {
		t.Errorf("completed_after_rejection %v, unexpected %v; want 2 (job 1 in each group) and 2 (another run's id, a stray group)",
			valueOf(a.CompletedAfterRejection), valueOf(a.Unexpected))
	}
	if a.Completed == nil || *a.Completed != 4 || a.Lost == nil || *a.Lost != 0 {
		t.Errorf("completed %v, lost %v; want 4 (jobs 0 and 1 in each group) and 0", valueOf(a.Completed), valueOf(a.Lost))
	}
	for name, want := range map[string]bundle.Group{
		"billing": {Completed: 2, CompletedAfterRejection: 1, Unexpected: 1},
		"audit":   {Completed: 2, CompletedAfterRejection: 1},
	} {
		g := a.Groups[name]
		if g == nil || g.Completed != want.Completed || g.CompletedAfterRejection != want.CompletedAfterRejection || g.Unexpected != want.Unexpected {
			t.Errorf("group %s: %+v; want completed %d, completed_after_rejection %d, unexpected %d",
				name, g, want.Completed, want.CompletedAfterRejection, want.Unexpected)
		}
	}
}

// valueOf shows a summary's optional count: nil when absent.
func valueOf(n *int64) any {
	if n == nil {
		return nil
	}
	return *n
}
