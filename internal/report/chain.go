package report

import (
	"fmt"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// chainTable is the sync chain, tier by tier, and what the tiers predict of
// it beside what the edge measured: availability multiplies, latency adds.
// A single tier has nothing to multiply and is left out: its figures stay
// in summary.json, where the chain-depth sweep reads them.
func chainTable(s *bundle.Summary) (table, bool) {
	if s.Sync == nil || s.Sync.Chain == nil || len(s.Sync.Chain.Tiers) < 2 {
		return table{}, false
	}
	c := s.Sync.Chain
	t := table{
		Title: "sync chain",
		Note: fmt.Sprintf("each tier's own work (its backends' counts, the next tier's answer left out), over the run's first %.1f s (before any fault); "+
			"predicted: the product of the tiers' success, the sum of their own times; busy: refused when full, counted as failed "+
			"(the edge passes a refusal of the front tier to another backend, so an overloaded front tier predicts too few)", c.UntilS),
		Head: [][]string{{"", "requests", "failed", "busy", "success", "own p50 ms", "own p99 ms"}},
	}
	for i, tier := range c.Tiers {
		t.Rows = append(t.Rows, []string{fmt.Sprintf("tier %d", i+1), count(tier.Requests), count(tier.Failed), count(tier.Busy),
			ratioText(tier.SuccessRatio), ms(tier.OwnMS.P50), ms(tier.OwnMS.P99)})
	}
	t.Rows = append(t.Rows,
		[]string{"chain predicted", none, none, none, ratioText(c.PredictedAvailability), ms(c.PredictedLatencyMS.P50), ms(c.PredictedLatencyMS.P99)},
		[]string{"edge measured", none, none, none, ratioText(c.MeasuredAvailability), ms(c.MeasuredLatencyMS.P50), ms(c.MeasuredLatencyMS.P99)})
	return t, true
}

// ratioText writes a ratio as a percentage with two decimals: a chain's
// availabilities differ in the second.
func ratioText(v float64) string { return fmt.Sprintf("%.2f%%", 100*v) }
