package run

import (
	"testing"
	"time"

	"github.com/loadchaos/loadgen/profiles"
)

// fanout shortens the scenario to duration, the indexer down from 4 s to
// 14 s unless without the fault.
func fanout(duration time.Duration, withFault bool) func(*profiles.Profile) {
	return func(p *profiles.Profile) {
		p.Duration = duration
		p.Chaos[0].At, p.Chaos[0].For = 4*time.Second, 10*time.Second
		if !withFault {
			p.Chaos = nil
		}
	}
}

func TestFanOutGroupsFailAndRecoverOnTheirOwn(t *testing.T) {
	s := runScenario(t, "fanout", fanout(20*time.Second, true))
	claimHolds(t, s)
	if len(s.Async.Groups) != 3 {
		t.Errorf("groups %v: want email, indexer and analytics", s.Async.Groups)
	}
}

func TestFanOutsClaimFailsWhenNoGroupGoesDown(t *testing.T) {
	claimFails(t, runScenario(t, "fanout", fanout(12*time.Second, false)), "async.groups.indexer.e2e_latency_ms.p99 > 5000")
}
