package profiles

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos/blast"
)

// scaleHead is a drill with two consumer groups.
const scaleHead = drillHead + `environment:
  groups: [{name: workers, consumers: 1}, {name: email, consumers: 2}]
`

func TestAScaleIsReadAndSurvivesTheRoundTrip(t *testing.T) {
	p := mustParse(t, scaleHead+`chaos:
  - {at: 20s, action: scale, target: consumers, group: workers, count: 3, for: 15s}
  - {when: async.max_lag > 500, times: 2, action: scale, target: consumers, group: email}
`)
	want := []ChaosEvent{
		{At: 20 * time.Second, Action: "scale", Target: "consumers", Group: "workers", Radius: blast.Radius{Count: 3}, For: 15 * time.Second},
		{When: "async.max_lag > 500", Times: 2, Action: "scale", Target: "consumers", Group: "email"},
	}
	if !reflect.DeepEqual(p.Chaos, want) {
		t.Fatalf("chaos %+v\nwant %+v", p.Chaos, want)
	}
	if back := writtenBack(t, p); !reflect.DeepEqual(back.Chaos, p.Chaos) {
		t.Fatalf("round trip changed the chaos:\n got %+v\nwant %+v", back.Chaos, p.Chaos)
	}
}

func TestScaleProblemsAreLocated(t *testing.T) {
	got := problemsOf(t, scaleHead+`chaos:
  - {at: 5s, action: scale, target: backends, count: 2}
  - {at: 5s, action: scale, target: consumers}
  - {at: 5s, action: scale, target: consumers, group: workers, percent: 50}
  - {at: 5s, action: scale, target: consumers, group: workers, all: true}
  - {at: 5s, action: scale, target: consumers, group: workers, count: 65}
  - {at: 5s, action: scale, target: consumers, group: workers, count: 0}
`)
	want := []string{
		`test.yaml:6: chaos[0].target: a scale adds consumers; target is "backends"`,
		`test.yaml:6: chaos[0].group: a scale adds consumers to one group: name it`,
		`test.yaml:7: chaos[1].group: a scale adds consumers to one group: name it`,
		`test.yaml:8: chaos[2].percent: a scale adds a count of consumers, not a percent of those running`,
		`test.yaml:9: chaos[3].all: a scale adds a count of consumers, not all`,
		`test.yaml:10: chaos[4].count: adds 65 consumers (count times times), 70 in all with the scale events before it: at most 64 in a profile`,
		`test.yaml:11: chaos[5].count: must be at least 1, got 0`,
	}
	wantScaleProblems(t, got, want)
}

func TestAProfilesScaleEventsAddAtMost64ConsumersInAll(t *testing.T) {
	got := problemsOf(t, scaleHead+`chaos:
  - {at: 5s, action: scale, target: consumers, group: workers, count: 60}
  - {when: async.max_lag > 5, times: 3, action: scale, target: consumers, group: email, count: 2}
`)
	wantScaleProblems(t, got, []string{
		`test.yaml:7: chaos[1].times: adds 6 consumers (count times times), 66 in all with the scale events before it: at most 64 in a profile`,
	})
}

// wantScaleProblems fails unless got are the problems want, in order, none
// of them an unknown field.
func wantScaleProblems(t *testing.T, got []Problem, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(got), len(want), got)
	}
	for i := range min(len(got), len(want)) {
		if got[i].String() != want[i] {
			t.Errorf("problem %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
	for _, p := range got {
		if strings.Contains(p.String(), "unknown field") {
			t.Errorf("a scale's fields are known: %s", p)
		}
	}
}
