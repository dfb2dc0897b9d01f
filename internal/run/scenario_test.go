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

// runScenario runs the built-in scenario name on the embedded broker, as
// edit shortens or breaks it.
func runScenario(t *testing.T, name string, edit func(*profiles.Profile)) *bundle.Summary {
	t.Helper()
	if os.Getenv("KAFKA_BROKERS") != "" {
		t.Skip("the scenarios' figures are the embedded drill's; this pass runs on Apache Kafka")
	}
	prof, err := profiles.Load(name, ProfileChecks()...)
	if err != nil {
		t.Fatal(err)
	}
	edit(prof)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	res, err := Run(ctx, Options{Profile: prof, Binary: testkit.BuildCommand(t, "loadgen", ""), Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return res.Summary
}

// claimHolds fails the test unless every threshold of the scenario held.
func claimHolds(t *testing.T, s *bundle.Summary) {
	t.Helper()
	for _, th := range s.Thresholds {
		if !th.OK {
			t.Errorf("the scenario's claim does not hold: %s is %v", th.Expr, th.Value)
		}
	}
	t.Logf("claim: %s", s.Run.Claim)
}

// claimFails fails the test unless the scenario's threshold expr failed.
func claimFails(t *testing.T, s *bundle.Summary, expr string) {
	t.Helper()
	for _, th := range s.Thresholds {
		if th.Expr == expr {
			if th.OK {
				t.Errorf("with the claim broken, %s held (%v)", th.Expr, th.Value)
			}
			return
		}
	}
	t.Errorf("thresholds %+v: the scenario no longer claims %s", s.Thresholds, expr)
}
