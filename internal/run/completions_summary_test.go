package run

import (
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/gate"
	"github.com/loadchaos/loadgen/internal/ledger"
)

// summaryOfARejectedJobCompleted is the async summary of two groups that
// both completed job 1, which the edge rejected, and of one id of another run.
func summaryOfARejectedJobCompleted() bundle.Async {
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
	return a
}

// TestTheSummaryCountsARejectedJobCompletedApartFromUnexpected: the edge
// rejected job 1 (a 503 whose produce still went through) and both groups
// completed it; it is completed_after_rejection, while an id of another run
// and a completion of an undeclared group stay unexpected.
func TestTheSummaryCountsARejectedJobCompletedApartFromUnexpected(t *testing.T) {
	a := summaryOfARejectedJobCompleted()
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

// TestAThresholdReadsCompletedAfterRejection: gate finds the new count by
// its summary key, in all and per group, beside unexpected.
func TestAThresholdReadsCompletedAfterRejection(t *testing.T) {
	a := summaryOfARejectedJobCompleted()
	s := &bundle.Summary{Async: &a}
	for _, tc := range []struct {
		expr   string
		value  float64
		passes bool
	}{
		{"async.completed_after_rejection <= 2", 2, true},
		{"async.completed_after_rejection == 0", 2, false},
		{"async.groups.audit.completed_after_rejection == 1", 1, true},
		{"async.groups.audit.unexpected == 0", 0, true}, // the rejected job is not unexpected
		{"async.unexpected == 0", 2, false},             // another run's id and a stray group are
	} {
		got, err := gate.Check(s, []string{tc.expr})
		if err != nil {
			t.Errorf("Check(%q): %v", tc.expr, err)
			continue
		}
		if len(got) != 1 || got[0].Value != tc.value || got[0].OK != tc.passes {
			t.Errorf("Check(%q) = %+v, want value %g, ok %v", tc.expr, got, tc.value, tc.passes)
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
