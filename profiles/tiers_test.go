package profiles

import (
	"strings"
	"testing"
)

func TestTiersGiveEachTierItsOwnWorkAndTheChainItsLength(t *testing.T) {
	p := mustParse(t, drillHead+`environment:
  work: {service: "fixed:10ms", concurrency: 2}
  tiers:
    - {service: "fixed:2ms", failure_rate: 0.01}
    - {failure_rate: 0.02}
    - {}
chaos:
  - {at: 5s, action: kill, target: backends, tier: 3, all: true, for: 5s}
`)
	e := p.Environment
	if e.Chain != 3 {
		t.Errorf("chain %d, want 3: the number of tiers", e.Chain)
	}
	// Each tier inherits what it does not say from the environment's work.
	want := []Work{{"fixed:2ms", 2, 0.01}, {"fixed:10ms", 2, 0.02}, {"fixed:10ms", 2, 0}}
	for i, w := range want {
		if got := e.TierWork(i + 1); got != w {
			t.Errorf("tier %d: %+v, want %+v", i+1, got, w)
		}
	}
	if p.Chaos[0].Tier != 3 {
		t.Errorf("chaos tier %d, want 3", p.Chaos[0].Tier)
	}
}

func TestAChainWithoutTiersDoesTheSameWorkInEachTier(t *testing.T) {
	p := mustParse(t, drillHead+"environment: {chain: 4, work: {service: \"fixed:3ms\"}}\n")
	if e := p.Environment; e.Chain != 4 || e.Tiers != nil || e.TierWork(4) != e.Work {
		t.Errorf("%+v: want 4 tiers of the environment's work", e)
	}
}

func TestTierProblemsAreLocated(t *testing.T) {
	src := drillHead + `environment:
  chain: 2
  tiers:
    - {failure_rate: 2}
    - {service: fixed:1ms}
    - {concurrency: 0}
chaos:
  - {at: 1s, action: kill, target: consumers, tier: 1}
  - {at: 2s, action: kill, target: backends, tier: 4}
`
	want := []string{
		`test.yaml:4: environment.chain: 2 disagrees with the 3 tiers given`,
		`test.yaml:6: environment.tiers[0].failure_rate: 2 is not a fraction from 0 to 1`,
		`test.yaml:8: environment.tiers[2].concurrency: must be at least 1`,
		`test.yaml:10: chaos[0].tier: only backends have a tier`,
		`test.yaml:11: chaos[1].tier: 4 is not a tier of the chain, 1 to 2`,
	}
	wantProblems(t, problemsOf(t, src), want)
	wantProblems(t, problemsOf(t, drillHead+"environment:\n  tiers: []\n"),
		[]string{`test.yaml:4: environment.tiers: want a list of 1 to 5 tiers' work`})
	wantProblems(t, problemsOf(t, drillHead+"environment:\n  tiers: [{}, {}, {}, {}, {}, {}]\n"),
		[]string{`test.yaml:4: environment.tiers: want a list of 1 to 5 tiers' work`})
}

func wantProblems(t *testing.T, got []Problem, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(got), len(want), got)
	}
	for i := range min(len(got), len(want)) {
		if !strings.HasPrefix(got[i].String(), want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
	}
}
