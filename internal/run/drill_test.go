package run

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/testkit"
	"github.com/loadchaos/loadgen/profiles"
)

// children lists the live processes whose parent is this one.
func children(t *testing.T) []int {
	t.Helper()
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) > 1 && fields[1] == strconv.Itoa(os.Getpid()) && fields[0] != "Z" {
			out = append(out, pid)
		}
	}
	return out
}

const drillProfile = `version: 1
stages: [{shape: constant, rate: 80, for: 20s}]
environment:
  work: {service: "fixed:5ms", concurrency: 4}
  backends: 2
  groups: [{name: workers, consumers: 2}]
  drain: 30s
chaos:
  - {at: 4s, action: kill, target: consumers, count: 1}
`

func TestEmbeddedDrillLosesNothingWhenAConsumerIsKilled(t *testing.T) {
	prof, err := profiles.Parse("drill.yaml", []byte(drillProfile))
	if err != nil {
		t.Fatal(err)
	}
	prof.Seed = 7
	// On the embedded broker, or on Apache Kafka when KAFKA_BROKERS says so.
	res := runFor(t, 3*time.Minute, Options{Profile: prof, Binary: testkit.BuildCommand(t, "loadgen", ""), Brokers: testCluster(t)})
	s := res.Summary
	a := s.Async
	// The run may be marked invalid on a machine busy with other tests: loss
	// and takeover are what this test is about.
	if a == nil || a.Lost == nil || *a.Lost != 0 || *a.Completed != a.Accepted || a.Accepted < 1000 {
		t.Fatalf("async %+v: want every accepted message completed", a)
	}
	t.Logf("accepted %d (%d skipped late), completed %d, duplicates %d, max lag %d, drained in %.1fs",
		a.Accepted, a.Schedule.Late, *a.Completed, *a.Duplicates, *a.MaxLag, *a.DrainS)
	if len(s.Chaos) != 1 || s.Chaos[0].Action != "kill" || !strings.HasPrefix(s.Chaos[0].Target, "consumer-workers-") {
		t.Fatalf("chaos %+v: want the one consumer kill", s.Chaos)
	}
	if s.Phases == nil || s.Phases["fault"] == nil {
		t.Fatalf("phases %+v: want baseline, fault and recovery", s.Phases)
	}
	// The killed consumer stays down until the load ends: completions in the
	// meantime, once its session has timed out, come from the survivor that
	// took over its partitions.
	takenOver := int64(0)
	var faults []bundle.TimelineLine
	bundle.ReadTimeline(res.Dir, func(l bundle.TimelineLine) error {
		if l.Path == bundle.PathAsyncE2E && l.TS >= 4+6+2 && l.TS < 20 {
			takenOver += l.Completed
		}
		if l.Event == bundle.EventChaos {
			faults = append(faults, l)
		}
		return nil
	})
	// The timeline marks the fault at its time, and the restart after the
	// load that undid it.
	if len(faults) != 2 || faults[0].Action != "kill" || faults[0].TS < 4 || faults[0].TS > 5 ||
		faults[1].Action != "restart" || faults[0].Target != s.Chaos[0].Target || faults[1].Target != s.Chaos[0].Target {
		t.Errorf("chaos lines on the timeline %+v: want the kill at 4 s and the restart of %s", faults, s.Chaos[0].Target)
	}
	if takenOver < 500 {
		t.Fatalf("%d completions between the takeover and the end of the load; want the survivor doing all the work", takenOver)
	}
	if left := children(t); len(left) != 0 {
		t.Fatalf("processes %v outlived the run", left)
	}
	if entries, _ := os.ReadDir(filepath.Join(res.Dir, "procs")); len(entries) != 0 {
		t.Fatalf("the process registry still lists %d processes", len(entries))
	}
}
