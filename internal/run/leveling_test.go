package run

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/testkit"
	"github.com/loadchaos/loadgen/profiles"
)

// leveling runs the built-in leveling scenario shortened (a 12 s burst
// between 3 s and 5 s of base load), its consumers concurrency jobs at once.
func leveling(t *testing.T, concurrency int) *bundle.Summary {
	t.Helper()
	if os.Getenv("KAFKA_BROKERS") != "" {
		t.Skip("the scenario's figures are the embedded drill's; this pass runs on Apache Kafka")
	}
	prof, err := profiles.Load("leveling", ProfileChecks()...)
	if err != nil {
		t.Fatal(err)
	}
	prof.Stages[0].For, prof.Stages[1].For, prof.Stages[2].For = 3*time.Second, 12*time.Second, 5*time.Second
	prof.Duration = prof.StagesTotal()
	prof.Environment.Work.Concurrency = concurrency
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	res, err := Run(ctx, Options{Profile: prof, Binary: testkit.BuildCommand(t, "loadgen", ""), Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return res.Summary
}

func TestTheQueueLevelsASpikeAndDrainsAsLittlesLawPredicts(t *testing.T) {
	s := leveling(t, 1)
	for _, th := range s.Thresholds {
		if !th.OK {
			t.Errorf("the scenario's claim does not hold: %s is %v", th.Expr, th.Value)
		}
	}
	b := s.Async.Backlog
	if b == nil || b.ObservedDrainS == nil || b.PredictedDrainS == nil {
		t.Fatalf("backlog %+v: want a peak, a prediction and an observed drain", b)
	}
	t.Logf("backlog %d at %v s; %v/s served, %v/s arriving; drain predicted %v s, observed %v s; claim: %s",
		b.Peak, b.PeakS, b.ServiceRate, b.ArrivalRate, *b.PredictedDrainS, *b.ObservedDrainS, s.Run.Claim)
}

func TestLevelingsClaimFailsWhenTheConsumersKeepUp(t *testing.T) {
	// Consumers that do 8 jobs at once keep up with the burst: no backlog
	// builds, and the claim that the queue levels one must fail.
	s := leveling(t, 8)
	checked := false
	for _, th := range s.Thresholds {
		if th.Expr == "async.backlog.peak >= 2000" {
			checked = true
			if th.OK {
				t.Errorf("with consumers that keep up, %s held (%v)", th.Expr, th.Value)
			}
		}
	}
	if !checked {
		t.Errorf("thresholds %+v: the scenario no longer claims a backlog", s.Thresholds)
	}
}
