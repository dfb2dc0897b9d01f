//go:build linux && !portable

package agent

import (
	"context"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/testkit"
)

func TestAnExperimentHaltsAtItsDeadlineUndoingEverything(t *testing.T) {
	a, b, c, exe := threeSleepers(t)
	exp, err := Parse("deadline.yaml", []byte(`version: 1
seed: 5
deadline: 1500ms
actions:
  - name: freeze
    select: exe=`+exe+`
    fault: pause
    count: 2
    schedule: {at: [0s]}
`))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	journal := &testkit.Buffer{}
	paused := make(chan struct{})
	began := time.Now()
	report, err := RunExperiment(ctx, exp, AgentOptions{Arm: true, Journal: journal, Echo: func(e chaos.Entry) {
		if e.Action == "pause" && e.Stage == chaos.StageDone && e.Target != "" {
			select {
			case paused <- struct{}{}:
			default:
			}
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(began); report.Halted != "deadline" || took < 1500*time.Millisecond || took > 10*time.Second {
		t.Fatalf("halted %q after %v, want the deadline after 1.5s", report.Halted, took)
	}
	for _, s := range []*sleeper{a, b, c} {
		if !s.running() {
			t.Fatalf("pid %d in state %q after the deadline", s.PID, s.state())
		}
	}
	entries := entriesOf(t, journal)
	if first := entries[0]; first.Stage != chaos.StageStart || first.Seed != 5 || report.Seed != 5 {
		t.Fatalf("journal starts with %+v, want the seed", first)
	}
	resumes, halted := 0, false
	for _, e := range entries {
		if e.Action == "resume" && e.Stage == chaos.StageDone {
			resumes++
			if !halted {
				t.Fatal("a resume before the halt")
			}
		}
		halted = halted || (e.Stage == chaos.StageHalt && e.Error == "deadline")
	}
	if resumes != 2 || len(report.Injected) != 1 || report.Failures != 0 {
		t.Fatalf("%d resumes, report %+v", resumes, report)
	}
}

func TestAnInterruptedExperimentHaltsAtOnce(t *testing.T) {
	a, _, _, exe := threeSleepers(t)
	exp, err := Parse("interrupt.yaml", []byte(`version: 1
actions:
  - name: freeze
    select: exe=`+exe+`,cmdline= a$
    fault: pause
    for: 1h
  - name: later
    select: exe=`+exe+`
    fault: kill
    schedule: {at: [20m]}
`))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	paused := make(chan error, 1)
	go func() {
		paused <- a.awaitState('T')
		cancel() // as Ctrl-C does
	}()
	report, err := RunExperiment(ctx, exp, AgentOptions{Arm: true, Journal: &testkit.Buffer{}})
	if err := <-paused; err != nil {
		t.Fatal(err)
	}
	if err != nil || report.Halted != "interrupted" {
		t.Fatalf("halted %q: %v", report.Halted, err)
	}
	if !a.running() || len(report.Injected) != 1 {
		t.Fatalf("state %q, injected %d: want resumed, the later kill never done", a.state(), len(report.Injected))
	}
}
