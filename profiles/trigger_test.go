package profiles

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// burstHead is a profile of 30 s with a burst every 10 s: 3 bursts.
const burstHead = `version: 1
stages: [{shape: burst, base: 10, peak: 100, width: 2s, period: 10s, for: 30s}]
`

// triggered has chaos at every kind of trigger.
const triggered = burstHead + `chaos:
  - {at: burst.peak, action: pause, target: backends, for: 1s}
  - {at: "burst.start[2]", action: kill, target: consumers}
  - {when: "sync.error_ratio > 5%", action: kill, target: consumers}
  - {when: async.max_lag > 500, times: 2, until: 20s, action: pause, target: consumers, for: 2s}
  - {at: 0s, action: kill, target: backends}
`

func TestTriggeredChaosProblemsAreLocated(t *testing.T) {
	src := burstHead + `chaos:
  - {at: burst.top, action: kill, target: consumers}
  - {at: "burst.peak[x]", action: kill, target: consumers}
  - {at: "burst.peak[3]", action: kill, target: consumers}
  - {at: 5s, when: async.max_lag > 5, action: kill, target: consumers}
  - {at: 5s, times: 2, action: kill, target: consumers}
  - {when: nonsense, times: 0, until: 40s, action: kill, target: consumers}
  - {at: soon, action: kill, target: consumers}
`
	checkWhen := CheckConditions(func(expr string) error {
		if expr == "nonsense" {
			return errors.New("not a condition")
		}
		return nil
	})
	_, err := Parse("test.yaml", []byte(src), checkWhen)
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("error %v, want *Error", err)
	}
	want := []string{
		`test.yaml:4: chaos[0].at: "burst.top" is not a moment of a burst`,
		`test.yaml:5: chaos[1].at: "burst.peak[x]": want a burst number from 0`,
		`test.yaml:6: chaos[2].at: burst.peak[3]: the run has at most 3 bursts`,
		`test.yaml:7: chaos[3].at: give at or when, not both`,
		`test.yaml:8: chaos[4].times: only an event with a when has times`,
		`test.yaml:9: chaos[5].when: not a condition`,
		`test.yaml:9: chaos[5].times: 0 is not from 1 to 1000`,
		`test.yaml:9: chaos[5].until: 40s is not within the run's 30s`,
		`test.yaml:10: chaos[6].at: "soon" is not a duration (like 30s) nor a moment`,
	}
	got := perr.Problems
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(got), len(want), got)
	}
	for i := range min(len(got), len(want)) {
		if !strings.HasPrefix(got[i].String(), want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
	}
}

func TestAMomentNeedsABurstStage(t *testing.T) {
	got := problemsOf(t, drillHead+"chaos: [{at: burst.start, action: kill, target: consumers}]\n")
	if len(got) != 1 || !strings.Contains(got[0].String(), "chaos[0].at: burst.start: no stage of the profile has the burst shape") {
		t.Fatalf("problems %v", got)
	}
}

func TestTriggeredChaosIsReadAndSurvivesTheRoundTrip(t *testing.T) {
	p := mustParse(t, triggered)
	want := []ChaosEvent{
		{Moment: &Moment{Kind: "peak"}, Action: "pause", Target: "backends", For: time.Second},
		{Moment: &Moment{Kind: "start", Burst: 2}, Action: "kill", Target: "consumers"},
		{When: "sync.error_ratio > 5%", Times: 1, Action: "kill", Target: "consumers"},
		{When: "async.max_lag > 500", Times: 2, Until: 20 * time.Second, Action: "pause", Target: "consumers", For: 2 * time.Second},
		{At: 0, Action: "kill", Target: "backends"},
	}
	if !reflect.DeepEqual(p.Chaos, want) {
		t.Fatalf("chaos %+v\nwant %+v", p.Chaos, want)
	}
	if back := writtenBack(t, p); !reflect.DeepEqual(back.Chaos, p.Chaos) {
		t.Fatalf("round trip changed the chaos:\n got %+v\nwant %+v", back.Chaos, p.Chaos)
	}
}

func TestMomentsReadAsTheyAreWritten(t *testing.T) {
	for _, s := range []string{"burst.start", "burst.peak", "burst.end", "burst.peak[1]", "burst.end[12]"} {
		m, err := ParseMoment(s)
		if err != nil || m.String() != s {
			t.Errorf("ParseMoment(%q) = %v, %v; want it back", s, m, err)
		}
	}
	for _, s := range []string{"burst.peak[0", "burst.peak[-1]", "burst.peak[+1]", "burst.peak[]", "burst.peak[1][2]", "burst.peak[9999999999]", "sine.peak"} {
		if m, err := ParseMoment(s); err == nil {
			t.Errorf("ParseMoment(%q) = %v, want an error", s, m)
		}
	}
}
