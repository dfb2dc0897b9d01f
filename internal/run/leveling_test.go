package run

import (
	"testing"
	"time"

	"github.com/loadchaos/loadgen/profiles"
)

// leveling shortens the scenario (a 12 s burst between 3 s and 5 s of base
// load), its consumers concurrency jobs at once.
func leveling(concurrency int) func(*profiles.Profile) {
	return func(p *profiles.Profile) {
		p.Stages[0].For, p.Stages[1].For, p.Stages[2].For = 3*time.Second, 12*time.Second, 5*time.Second
		p.Duration = p.StagesTotal()
		p.Environment.Work.Concurrency = concurrency
	}
}

func TestTheQueueLevelsASpikeAndDrainsAsLittlesLawPredicts(t *testing.T) {
	s := runScenario(t, "leveling", leveling(1))
	claimHolds(t, s)
	if b := s.Async.Backlog; b == nil || b.ObservedDrainS == nil || b.PredictedDrainS == nil {
		t.Fatalf("backlog %+v: want a peak, a prediction and an observed drain", b)
	}
}

func TestLevelingsClaimFailsWhenTheConsumersKeepUp(t *testing.T) {
	// Consumers that do 8 jobs at once keep up with the burst: no backlog.
	claimFails(t, runScenario(t, "leveling", leveling(8)), "async.backlog.peak >= 2000")
}
