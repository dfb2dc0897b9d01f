package run

import (
	"testing"
	"time"

	"github.com/loadchaos/loadgen/profiles"
)

// scaleOut shortens the scenario to 20 s, its consumers added at 8 s, the
// jobs topic with partitions.
func scaleOut(partitions int) func(*profiles.Profile) {
	return func(p *profiles.Profile) {
		p.Duration = 20 * time.Second
		p.Chaos[0].At = 8 * time.Second
		p.Environment.Partitions = partitions
		p.Limits.LateAfter = 100 * time.Millisecond // a busy machine's pacer wakes late
	}
}

func TestConsumersAddedMidRunRaiseTheDrainRate(t *testing.T) {
	s := runScenario(t, "scale-out", scaleOut(3))
	claimHolds(t, s)
	if len(s.Async.ScaleOut) != 1 {
		t.Fatalf("scale-outs %+v: want one", s.Async.ScaleOut)
	}
	if so := s.Async.ScaleOut[0]; so.Group != "workers" || so.Added != 2 || so.Backlog < 100 || so.BeforeS < 3 || so.AfterS < 2 {
		t.Errorf("scale-out %+v: want 2 workers added with a backlog, 3 busy seconds before and 2 after", so)
	}
	if len(s.Chaos) != 1 || s.Chaos[0].Action != "scale" || len(s.Chaos[0].PIDs) != 2 || s.Chaos[0].EndS != nil {
		t.Errorf("chaos %+v: want the scale, its 2 consumers' PIDs, never stopped", s.Chaos)
	}
}

func TestScaleOutsClaimFailsWhenThePartitionsLeaveTheNewConsumersIdle(t *testing.T) {
	// One partition: the consumers added get none, and the rate stays.
	// The slow drain after the load tells nothing more: cut it short.
	s := runScenario(t, "scale-out", func(p *profiles.Profile) {
		scaleOut(1)(p)
		p.Environment.Drain = 3 * time.Second
	})
	claimFails(t, s, "async.scale_out[0].rate_ratio >= 2")
}
