package profiles

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const drillHead = `version: 1
stages: [{shape: constant, rate: 10, for: 60s}]
`

func TestEnvironmentAndChaosProblemsAreLocated(t *testing.T) {
	src := drillHead + `environment:
  work: {service: "gamma:5ms", concurrency: 0}
  backends: 0
  heartbeat: 10s
  groups:
    - {name: email}
    - {name: email, consumers: -1}
chaos:
  - {at: 90s, action: kill, target: consumers}
  - {at: 1s, action: nuke, target: databases}
  - {at: 2s, action: kill, target: backends, group: email}
  - {at: 3s, action: pause, target: consumers, group: nosuch, count: 1, all: true}
  - {at: 4s, action: kill, target: consumers, percent: 150, for: 0s}
  - {at: 5s, action: kill, target: broker}
  - {at: 6s, action: pause, target: broker, for: 5s}
`
	want := []string{
		`test.yaml:4: environment.work.concurrency: must be at least 1`,
		`test.yaml:5: environment.backends: must be at least 1`,
		`test.yaml:6: environment.heartbeat: 10s must be shorter than session_timeout 6s`,
		`test.yaml:9: environment.groups[1].name: group "email" is declared twice`,
		`test.yaml:9: environment.groups[1].consumers: must be at least 1`,
		`test.yaml:11: chaos[0].at: 1m30s is not within the run's 1m0s`,
		`test.yaml:12: chaos[1].action: "nuke" is not one of`,
		`test.yaml:12: chaos[1].target: "databases" is not one of`,
		`test.yaml:13: chaos[2].group: only consumers have a group`,
		`test.yaml:14: chaos[3].group: "nosuch" is not a group of the environment`,
		`test.yaml:14: chaos[3].count: give one of count, percent and all`,
		`test.yaml:15: chaos[4].percent: 150 is not a percentage`,
		`test.yaml:15: chaos[4].for: must be positive`,
		`test.yaml:16: chaos[5].target: the embedded broker keeps its messages in memory: only a pause may hit it, not a kill`,
	}
	got := problemsOf(t, src)
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(got), len(want), got)
	}
	for i := range min(len(got), len(want)) {
		if !strings.HasPrefix(got[i].String(), want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
	}
}

func TestGroupsDefaultToOneGroupSizedLikeTheBackends(t *testing.T) {
	p := mustParse(t, drillHead+"environment: {backends: 3}\n")
	if len(p.Environment.Groups) != 1 || p.Environment.Groups[0] != (Group{Name: "workers", Consumers: 3}) {
		t.Fatalf("groups %+v, want one group of 3 workers", p.Environment.Groups)
	}
}

func TestAGroupMayOverrideTheWork(t *testing.T) {
	p := mustParse(t, drillHead+`environment:
  work: {service: "fixed:10ms", concurrency: 2}
  groups: [{name: a}, {name: b, work: {concurrency: 8}}]
`)
	a, b := p.Environment.WorkOf(p.Environment.Groups[0]), p.Environment.WorkOf(p.Environment.Groups[1])
	if a.Concurrency != 2 || b.Concurrency != 8 || b.Service != "fixed:10ms" {
		t.Fatalf("work a %+v, b %+v; want b to inherit the service and override concurrency", a, b)
	}
}

func TestValuesOfOtherPackagesAreCheckedOnTheirLinesWhenAsked(t *testing.T) {
	src := drillHead + `environment:
  work: {service: "gamma:5ms"}
  groups: [{name: a, work: {service: "fixed:1ms"}}, {name: b, work: {service: "beta:1ms"}}]
thresholds:
  - sync.latency_ms.p99 < 50
  - nonsense
`
	refuse := func(bad ...string) func(string) error {
		return func(v string) error {
			if slices.Contains(bad, v) {
				return errors.New("refused")
			}
			return nil
		}
	}
	_, err := Parse("test.yaml", []byte(src), CheckServiceTimes(refuse("gamma:5ms", "beta:1ms")), CheckThresholds(refuse("nonsense")))
	want := []string{
		"test.yaml:4: environment.work.service: refused",
		"test.yaml:5: environment.groups[1].work.service: refused",
		"test.yaml:8: thresholds[1]: refused",
	}
	var perr *Error
	if !errors.As(err, &perr) || len(perr.Problems) != len(want) {
		t.Fatalf("Parse = %v; want %d problems", err, len(want))
	}
	for i, p := range perr.Problems {
		if p.String() != want[i] {
			t.Errorf("problem %d: got %s, want %s", i, p, want[i])
		}
	}
	// Without the checks the values are kept as written.
	if p, err := Parse("test.yaml", []byte(src)); err != nil || p.Environment.Work.Service != "gamma:5ms" || p.Thresholds[1] != "nonsense" {
		t.Fatalf("Parse without checks = %+v, %v", p, err)
	}
}
