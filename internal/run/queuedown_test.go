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

// queueDown runs the built-in queue-down scenario, shortened, with its one
// fault aimed at target, on the embedded broker.
func queueDown(t *testing.T, target string) *bundle.Summary {
	t.Helper()
	if os.Getenv("KAFKA_BROKERS") != "" {
		t.Skip("the scenario pauses the embedded broker; this pass runs on Apache Kafka")
	}
	prof, err := profiles.Load("queue-down", ProfileChecks()...)
	if err != nil {
		t.Fatal(err)
	}
	prof.Duration = 24 * time.Second // the pause is from 10 s to 20 s
	prof.Chaos[0].Target = target
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	res, err := Run(ctx, Options{Profile: prof, Binary: testkit.BuildCommand(t, "loadgen", ""), Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return res.Summary
}

func TestQueueDownCostsTheAsyncPathAndNotTheSyncPath(t *testing.T) {
	s := queueDown(t, "broker")
	for _, th := range s.Thresholds {
		if !th.OK {
			t.Errorf("the scenario's claim does not hold: %s is %v", th.Expr, th.Value)
		}
	}
	if len(s.Chaos) != 1 || s.Chaos[0].Target != "broker" || s.Chaos[0].Action != "pause" {
		t.Errorf("chaos %+v: want the broker paused", s.Chaos)
	}
	if a := s.Async; a.Lost == nil || *a.Lost != 0 || a.Rejected == 0 {
		t.Errorf("async: rejected %d, lost %v; want some rejected and none accepted lost", a.Rejected, a.Lost)
	}
}

func TestQueueDownsClaimFailsWhenTheQueueStaysUp(t *testing.T) {
	// The same pause, on a consumer: the queue keeps taking jobs, so the
	// async edge rejects nothing and the claim that it pays must fail.
	s := queueDown(t, "consumers")
	checked := false
	for _, th := range s.Thresholds {
		if th.Expr == "phases.fault.async.reject_ratio >= 20%" {
			checked = true
			if th.OK {
				t.Errorf("with the broker up, %s held (%v)", th.Expr, th.Value)
			}
		}
	}
	if !checked {
		t.Errorf("thresholds %+v: the scenario no longer claims the async edge rejects", s.Thresholds)
	}
}
