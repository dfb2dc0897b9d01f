package agent

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/yamlfields"
)

const goodExperiment = `version: 1
name: consumer-drill
seed: 7
deadline: 10m
max_matches: 4
probe:
  http: http://127.0.0.1:8081/healthz
  metric: "async.accept_latency_ms.p99 <= 250"
  timeline: results
actions:
  - name: kill-one
    select: "exe=loadgen,role=consumer"
    fault: kill
    schedule: {at: [5s, 1m]}
  - name: freeze
    select: registry=results/latest/procs,role=consumer
    fault: pause
    percent: 50
    for: 10s
    schedule: {every: 30s, jitter: 5s, min_gap: 20s, times: 4}
  - name: bounce
    select: pidfile=/run/worker.pid
    fault: restart
    signal: SIGINT
    command: systemctl start worker
    allow_last: true
    max_matches: 1
  - name: delete-pod
    fault: exec
    command: kubectl delete pod -l app=worker --wait=false
    timeout: 1m
`

func TestParseAGoodExperiment(t *testing.T) {
	e, err := Parse("drill.yaml", []byte(goodExperiment))
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != "consumer-drill" || e.Seed != 7 || e.Deadline != 10*time.Minute || len(e.Actions) != 4 {
		t.Fatalf("experiment %+v", e)
	}
	if probes, ok := e.Probe.(Probes); !ok || len(probes) != 2 || probes.String() != "GET http://127.0.0.1:8081/healthz answers 2xx and async.accept_latency_ms.p99 <= 250" {
		t.Fatalf("probe %v", e.Probe)
	}
	kill, freeze, bounce, del := e.Actions[0], e.Actions[1], e.Actions[2], e.Actions[3]
	if kill.Fault != (Signal{Sig: syscall.SIGKILL}) || kill.Select.MaxMatches != 4 || len(kill.Schedule.At) != 2 {
		t.Errorf("kill-one: %+v", kill)
	}
	if freeze.Fault != (chaos.Pause{}) || freeze.Select.Radius.Percent != 50 || freeze.For != 10*time.Second ||
		freeze.Schedule.Start != 30*time.Second || freeze.Schedule.Times != 4 {
		t.Errorf("freeze: %+v", freeze)
	}
	if r, ok := bounce.Fault.(Restart); !ok || r.Sig != syscall.SIGINT || r.Command.Text != "systemctl start worker" ||
		!bounce.Select.AllowLast || bounce.Select.MaxMatches != 1 || bounce.Schedule.At[0] != 0 {
		t.Errorf("bounce: %+v", bounce)
	}
	if x, ok := del.Fault.(Exec); !ok || del.Select != nil || x.Command.Timeout != time.Minute {
		t.Errorf("delete-pod: %+v", del)
	}
	events := e.Events(NewHost(), e.Seed)
	if len(events) != 2+4+1+1 {
		t.Fatalf("%d events, want 8", len(events))
	}
}

const badExperiment = `version: 2
colour: blue
deadline: 1m
probe:
  timeline: results
actions:
  - select: "exe="
    fault: kill
    for: 5s
  - name: twice
    fault: explode
  - name: twice
    select: pid=1
    fault: signal
  - name: gentle
    select: pid=1
    fault: pause
    count: 2
    all: true
    schedule: {every: 10s}
  - name: far
    select: pid=1
    fault: restart
    command: "echo {{.Nope}}"
    schedule: {at: [10s, 2m], jitter: 1s}
  - name: late
    fault: exec
    command: echo
    count: 1
    schedule: {every: 10s, times: 9}
`

func TestABadExperimentNamesEveryProblem(t *testing.T) {
	_, err := Parse("bad.yaml", []byte(badExperiment))
	var ye *yamlfields.Error
	if !errors.As(err, &ye) {
		t.Fatalf("error %v, want a *yamlfields.Error", err)
	}
	want := []struct {
		line  int
		field string
		msg   string
	}{
		// The version this agent reads.
		{1, "version", "not supported"},
		// A key no one asked for.
		{2, "colour", "unknown field"},
		// A probe needs something to check.
		{5, "probe", "needs http, metric or both"},
		// timeline goes with metric.
		{5, "probe.timeline", "applies to metric"},
		// A selector's syntax.
		{7, "actions[0].select", "empty value"},
		// A kill has nothing to undo on a host.
		{9, "actions[0].for", "nothing to undo"},
		// Unknown fault.
		{11, "actions[1].fault", `"explode" is not one of`},
		// Names differ.
		{12, "actions[2].name", "names must differ"},
		// A signal fault says which.
		{12, "actions[2].signal", "is required"},
		// One blast radius.
		{18, "actions[3].count", "give one of count, percent and all"},
		// An every schedule needs a bound.
		{20, "actions[3].schedule.every", "needs times or duration"},
		// A template field a target does not have.
		{24, "actions[4].command", "Nope"},
		// Offsets within the deadline.
		{25, "actions[4].schedule.at[1]", "not within the deadline"},
		// jitter goes with every.
		{25, "actions[4].schedule.jitter", "applies to an every schedule"},
		// A radius needs a selector.
		{29, "actions[5].count", "no select"},
		// The last occurrence within the deadline.
		{30, "actions[5].schedule.every", "past the deadline"},
	}
	got := ye.Problems
	for _, w := range want {
		found := false
		for _, p := range got {
			found = found || (p.Line == w.line && p.Field == w.field && strings.Contains(p.Message, w.msg) && p.File == "bad.yaml")
		}
		if !found {
			t.Errorf("no problem at line %d, %s: %q", w.line, w.field, w.msg)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d problems, want %d:\n%v", len(got), len(want), err)
	}
}

func TestAnExperimentFileIsReadWithABound(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(big, []byte("version: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 2<<20); err != nil { // a file of 2 MiB, nearly all zero bytes
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "at most") || !strings.Contains(err.Error(), big) {
		t.Fatalf("a 2 MiB experiment: %v, want it refused for its size, naming the file", err)
	}
}
