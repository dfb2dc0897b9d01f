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

// fanout runs the built-in fanout scenario shortened to duration, the
// indexer down from 4 s to 14 s unless withoutFault.
func fanout(t *testing.T, duration time.Duration, withoutFault bool) *bundle.Summary {
	t.Helper()
	if os.Getenv("KAFKA_BROKERS") != "" {
		t.Skip("the scenario's figures are the embedded drill's; this pass runs on Apache Kafka")
	}
	prof, err := profiles.Load("fanout", ProfileChecks()...)
	if err != nil {
		t.Fatal(err)
	}
	prof.Duration = duration
	prof.Chaos[0].At, prof.Chaos[0].For = 4*time.Second, 10*time.Second
	if withoutFault {
		prof.Chaos = nil
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	res, err := Run(ctx, Options{Profile: prof, Binary: testkit.BuildCommand(t, "loadgen", ""), Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return res.Summary
}

func TestFanOutGroupsFailAndRecoverOnTheirOwn(t *testing.T) {
	s := fanout(t, 20*time.Second, false)
	for _, th := range s.Thresholds {
		if !th.OK {
			t.Errorf("the scenario's claim does not hold: %s is %v", th.Expr, th.Value)
		}
	}
	if len(s.Async.Groups) != 3 {
		t.Errorf("groups %v: want email, indexer and analytics", s.Async.Groups)
	}
	t.Logf("claim: %s", s.Run.Claim)
}

func TestFanOutsClaimFailsWhenNoGroupGoesDown(t *testing.T) {
	s := fanout(t, 12*time.Second, true)
	checked := false
	for _, th := range s.Thresholds {
		if th.Expr == "async.groups.indexer.e2e_latency_ms.p99 > 5000" {
			checked = true
			if th.OK {
				t.Errorf("with the indexer up throughout, %s held (%v)", th.Expr, th.Value)
			}
		}
	}
	if !checked {
		t.Errorf("thresholds %+v: the scenario no longer claims the indexer waits", s.Thresholds)
	}
}
