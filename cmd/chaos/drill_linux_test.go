//go:build linux && !portable

package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/chaos"
)

func TestPausedProcessesResumeWhenTheAgentIsSIGKILLed(t *testing.T) {
	agentPath := binary(t, "chaos")
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	sleeper, _ := start(t, ctx, "READY", []string{"CHAOS_TEST_SLEEPER=1"}, self)
	agent, _ := start(t, ctx, "", nil, agentPath, "pause", "--select", "pid="+strconv.Itoa(sleeper.pid()),
		"--allow-last", "--for", "1h", "--arm", "--journal", filepath.Join(t.TempDir(), "journal.jsonl"))
	waitState(t, ctx, sleeper.pid(), 'T')
	if err := syscall.Kill(agent.pid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	waitState(t, ctx, sleeper.pid(), 'S')
	t.Logf("resumed %v after the agent's SIGKILL", time.Since(began))
	if !strings.Contains(agent.output(), "done   pause") {
		t.Fatalf("the agent's output lacks the pause:\n%s", agent.output())
	}
}

const drillProfile = `version: 1
name: staging-drill
stages: [{shape: constant, rate: 50, for: 15s}]
http:
  method: POST
  body: '{"id":"{{id}}"}'
  headers: {Content-Type: application/json}
`

const drillExperiment = `version: 1
name: kill-a-consumer
deadline: 1m
probe:
  http: http://EDGE/healthz
actions:
  - name: kill-a-consumer
    select: "exe=loadgen,role=consumer,group=GROUP"
    fault: kill
    schedule: {at: [5s]}
`

// A staging-style drill: the services run as processes of their own, the
// load generator drives the async edge, and the agent kills one consumer
// by selector; the report then shows the kill on the run's timeline.
func TestStagingDrillPutsTheKillOnTheRunsTimeline(t *testing.T) {
	loadgen, agent := binary(t, "loadgen"), binary(t, "chaos")
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	dir := t.TempDir()
	group := "drill-" + strconv.Itoa(os.Getpid())

	_, brokers := start(t, ctx, "READY", nil, loadgen, "broker", "--listen", "127.0.0.1:0")
	_, edge := start(t, ctx, "READY", nil, loadgen, "target", "async-edge", "--brokers", brokers, "--listen", "127.0.0.1:0")
	consumers := map[int]*started{}
	for i := 1; i <= 2; i++ {
		c, _ := start(t, ctx, "READY", nil, loadgen, "target", "async-consumer", "--brokers", brokers, "--group", group,
			"--worker", "drill-consumer-"+strconv.Itoa(i), "--service", "fixed:2ms")
		consumers[c.pid()] = c
	}
	profile, experiment, journal, out := filepath.Join(dir, "drill.yaml"), filepath.Join(dir, "kill.yaml"), filepath.Join(dir, "journal.jsonl"), filepath.Join(dir, "results")
	os.WriteFile(profile, []byte(drillProfile), 0o644)
	os.WriteFile(experiment, []byte(strings.NewReplacer("EDGE", edge, "GROUP", group).Replace(drillExperiment)), 0o644)

	run, _ := start(t, ctx, "", nil, loadgen, "run", profile, "--async-url", "http://"+edge+"/work", "--out", out, "--quiet")
	chaosRun, _ := start(t, ctx, "", nil, agent, "run", experiment, "--arm", "--journal", journal)
	if code := chaosRun.wait(t, ctx); code != 0 {
		t.Fatalf("chaos run exit %d:\n%s", code, chaosRun.output())
	}
	if code := run.wait(t, ctx); code != 0 && code != 97 { // 97: a busy machine fell behind the schedule
		t.Fatalf("loadgen run exit %d:\n%s", code, run.output())
	}

	var killed chaos.Entry
	data, _ := os.ReadFile(journal)
	for line := range strings.Lines(string(data)) {
		var e chaos.Entry
		if json.Unmarshal([]byte(line), &e) == nil && e.Action == "kill" && e.Stage == chaos.StageDone {
			killed = e
		}
	}
	if consumers[killed.PID] == nil {
		t.Fatalf("journal kills pid %d, not one of the consumers %v:\n%s", killed.PID, consumers, data)
	}
	for pid, c := range consumers {
		if c.alive() == (pid == killed.PID) {
			t.Fatalf("consumer %d alive=%v after the drill; the journal says it killed %d", pid, c.alive(), killed.PID)
		}
	}

	report := exec.CommandContext(ctx, loadgen, "report", filepath.Join(out, "latest"), "--journal", journal, "--format", "json")
	report.Stderr = os.Stderr
	jsonOut, err := report.Output()
	if err != nil {
		t.Fatalf("loadgen report --journal: %v", err)
	}
	var summary bundle.Summary
	if err := json.Unmarshal(jsonOut, &summary); err != nil {
		t.Fatalf("report output: %v\n%s", err, jsonOut)
	}
	if len(summary.Chaos) != 1 {
		t.Fatalf("summary chaos %+v, want the one kill", summary.Chaos)
	}
	ev := summary.Chaos[0]
	t.Logf("chaos event %+v (agent journal t_s %.3f)", ev, killed.TS)
	// The agent and the generator started within a second of each other;
	// the kill was due 5 s into the agent's run.
	if ev.Action != "kill" || ev.PID != killed.PID || ev.Target != killed.Target || ev.TS < 3 || ev.TS > 8 {
		t.Fatalf("summary chaos event %+v, want the kill of %s (pid %d) about 5 s in", ev, killed.Target, killed.PID)
	}
}
