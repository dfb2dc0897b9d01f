package run

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/testkit"
	"github.com/loadchaos/loadgen/profiles"
)

// lagProfile offers 100 jobs a second to two consumers that finish 50 (one
// job at a time, 40 ms each): the lag grows by about 50 a second from the
// start, whatever the machine's speed, so the kill comes once it passes
// 100, a few seconds in.
const lagProfile = `version: 1
stages: [{shape: constant, rate: 100, for: 12s}]
environment:
  work: {service: "fixed:40ms", concurrency: 1}
  backends: 1
  groups: [{name: workers, consumers: 2}]
  drain: 60s
chaos:
  - {when: async.max_lag > 100, action: kill, target: consumers, for: 2s}
  - {when: sync.error_ratio > 50%, until: 6s, action: pause, target: backends}
`

func TestAConsumerIsKilledOnceTheLagBuilds(t *testing.T) {
	prof, err := profiles.Parse("lag.yaml", []byte(lagProfile), ProfileChecks()...)
	if err != nil {
		t.Fatal(err)
	}
	prof.Seed = 7
	res := runFor(t, 3*time.Minute, Options{Profile: prof, Binary: testkit.BuildCommand(t, "loadgen", ""), Brokers: testCluster(t)})
	f, err := os.Open(filepath.Join(res.Dir, bundle.JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var kills, notFired []bundle.JournalEntry
	if err := bundle.ReadJournal(f, bundle.JournalFile, func(e bundle.JournalEntry) error {
		switch {
		case e.Action == "kill" && e.Stage == bundle.StageDone:
			kills = append(kills, e)
		case e.Stage == bundle.StageNotFired:
			notFired = append(notFired, e)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(kills) != 1 {
		t.Fatalf("%d kills journaled, want one: the condition fires once", len(kills))
	}
	kill := kills[0]
	if kill.When != "async.max_lag > 100" || kill.Value == nil || *kill.Value <= 100 || !strings.HasPrefix(kill.Target, "consumer-workers-") {
		t.Fatalf("kill %+v: want a consumer killed with the condition and a lag past 100", kill)
	}
	// The figure is one the timeline shows: a lag sample written before
	// the kill.
	sampled := false
	if err := bundle.ReadTimeline(res.Dir, func(l bundle.TimelineLine) error {
		sampled = sampled || (l.Path == bundle.PathAsyncLag && float64(l.Lag) == *kill.Value && l.TS <= kill.TS)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !sampled {
		t.Fatalf("no lag of %v on the timeline before the kill at %.1fs", *kill.Value, kill.TS)
	}
	// The backends never fail half their requests: the pause is journaled
	// as not fired at its deadline, and the run went on.
	if len(notFired) != 1 || notFired[0].Action != "pause" || notFired[0].When != "sync.error_ratio > 50%" {
		t.Fatalf("not fired %+v: want the pause that never held", notFired)
	}
	t.Logf("killed %s at %.1fs on a lag of %v; %s", kill.Target, kill.TS, *kill.Value, notFired[0].Error)
	if a := res.Summary.Async; a == nil || a.Lost == nil || *a.Lost != 0 {
		t.Fatalf("async %+v: want nothing lost", a)
	}
}
