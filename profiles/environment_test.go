package profiles

import (
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
`
	want := []string{
		`test.yaml:4: environment.work.service: `,
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
	if m := b.Model(); m.Concurrency != 8 || m.Service.String() != "fixed:10ms" {
		t.Fatalf("model %+v", m)
	}
}

func TestThresholdsAreParsedWithTheProfile(t *testing.T) {
	got := problemsOf(t, drillHead+`thresholds:
  - sync.latency_ms.p99 < 50
  - sync.latency_ms.p99 < < 5
  - sync.latncy_ms.p99 < 5
`)
	if len(got) != 2 || got[0].Line != 5 || got[1].Line != 6 || !strings.Contains(got[0].Message, "expected a number") {
		t.Fatalf("problems %v: want lines 5 and 6, the first naming the column", got)
	}
	p := mustParse(t, drillHead+"thresholds: [async.lost == 0]\n")
	if len(p.Thresholds) != 1 || p.Thresholds[0] != "async.lost == 0" {
		t.Fatalf("thresholds %q", p.Thresholds)
	}
}
