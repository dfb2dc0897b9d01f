package run

import (
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/profiles"
)

// cascade shortens the scenario to duration, its fault from at for a third
// of the run; the generator counts itself late only past 100 ms, as a busy
// machine needs.
func cascade(duration, at time.Duration) func(*profiles.Profile) {
	return func(p *profiles.Profile) {
		p.Duration, p.Stages[0].For = duration, duration
		p.Limits.LateAfter = 100 * time.Millisecond
		p.Chaos[0].At, p.Chaos[0].For = at, duration/3
	}
}

func TestACascadeMultipliesItsTiersFailuresAndTheQueueContainsTheDeepestsDeath(t *testing.T) {
	s := runScenario(t, "cascade", cascade(24*time.Second, 12*time.Second))
	claimHolds(t, s)
	c := s.Sync.Chain
	if c == nil || len(c.Tiers) != 4 {
		t.Fatalf("chain %+v: want 4 tiers", c)
	}
	// Each tier gets what the tier before it passed on, and fails some of
	// it by its own work; the product of their success is below each.
	for i, tier := range c.Tiers {
		if tier.Requests == 0 || tier.Failed == 0 || (i > 0 && tier.Requests > c.Tiers[i-1].Requests) {
			t.Errorf("tier %d: %+v; want requests, at most the tier before's, and some failed", i+1, tier)
		}
		if c.PredictedAvailability >= tier.SuccessRatio {
			t.Errorf("predicted %v, not below tier %d's %v", c.PredictedAvailability, i+1, tier.SuccessRatio)
		}
	}
	// Only the deepest tier was killed.
	if len(s.Chaos) != 1 || !strings.Contains(s.Chaos[0].Target, "backend-t4-") || strings.Contains(s.Chaos[0].Target, "backend-t3-") {
		t.Errorf("chaos %+v: want the deepest tier's backends killed", s.Chaos)
	}
	// While it was down, the sync edge failed where the async edge accepted.
	f := s.Phases[bundle.PhaseFault]
	if f == nil || f.Sync == nil || f.Async == nil || f.Sync.Errors <= f.Async.Rejected || f.Async.Accepted == 0 {
		t.Fatalf("fault phase %+v: want sync errors beyond the async rejections, and accepts", f)
	}
	t.Logf("chain: predicted %.4f, measured %.4f; latency p50 predicted %.3f ms, measured %.3f ms",
		c.PredictedAvailability, c.MeasuredAvailability, c.PredictedLatencyMS.P50, c.MeasuredLatencyMS.P50)
}

func TestCascadesClaimFailsWhenTheDeepestTierNeitherFailsNorDies(t *testing.T) {
	// The deepest tier never fails, and the fault hits the async path's
	// consumers instead: the sync edge has nothing to fail on.
	s := runScenario(t, "cascade", func(p *profiles.Profile) {
		cascade(15*time.Second, 6*time.Second)(p)
		p.Environment.Tiers[3].FailureRate = 0
		p.Chaos[0].Target, p.Chaos[0].Tier = "consumers", 0
	})
	claimFails(t, s, "phases.fault.sync.error_ratio >= 80%")
	if c := s.Sync.Chain; c == nil || c.Tiers[3].Failed != 0 {
		t.Errorf("chain %+v: want a deepest tier that never failed", c)
	}
}
