package run

import (
	"testing"
	"time"

	"github.com/loadchaos/loadgen/profiles"
)

// queueDown shortens the scenario; its one fault, the pause from 10 s to
// 20 s, hits target.
func queueDown(target string) func(*profiles.Profile) {
	return func(p *profiles.Profile) {
		p.Duration = 24 * time.Second
		p.Chaos[0].Target = target
	}
}

func TestQueueDownCostsTheAsyncPathAndNotTheSyncPath(t *testing.T) {
	s := runScenario(t, "queue-down", queueDown("broker"))
	claimHolds(t, s)
	if len(s.Chaos) != 1 || s.Chaos[0].Target != "broker" || s.Chaos[0].Action != "pause" {
		t.Errorf("chaos %+v: want the broker paused", s.Chaos)
	}
	if a := s.Async; a.Lost == nil || *a.Lost != 0 || a.Rejected == 0 {
		t.Errorf("async: rejected %d, lost %v; want some rejected and none accepted lost", a.Rejected, a.Lost)
	}
}

func TestQueueDownsClaimFailsWhenTheQueueStaysUp(t *testing.T) {
	// The same pause, on a consumer: the queue keeps taking jobs, so the
	// async edge rejects nothing.
	claimFails(t, runScenario(t, "queue-down", queueDown("consumers")), "phases.fault.async.reject_ratio >= 20%")
}
