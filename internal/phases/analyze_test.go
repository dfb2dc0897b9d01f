package phases

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
)

// writeRun writes a 20-second bundle: a sync path answering 100 req/s in
// 5 ms, all failing while its backends are down from 10 s to 15 s, as the
// journal says.
func writeRun(t testing.TB) (dir string, started time.Time) {
	t.Helper()
	dir = t.TempDir()
	started = time.UnixMilli(1_800_000_000_250)
	tl, err := os.Create(filepath.Join(dir, bundle.TimelineFile))
	if err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(filepath.Join(dir, bundle.SyncLog))
	if err != nil {
		t.Fatal(err)
	}
	log, err := bundle.NewLog(logFile, started, "test")
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(tl)
	for s := range 20 {
		line := bundle.TimelineLine{TS: float64(s), Path: bundle.PathSync, Completed: 100, OK: 100, P99MS: 5}
		iv := &hist.Interval{Index: int64(s), Start: started.Add(time.Duration(s) * time.Second), Width: time.Second, Latency: hist.New()}
		if s >= 10 && s < 15 {
			line.OK, line.Errors, line.Classes, line.P99MS = 0, 100, map[string]int64{"5xx": 100}, 0
		} else {
			iv.Latency.RecordValues(int64(5*time.Millisecond), 100)
		}
		enc.Encode(line)
		if err := log.Write(iv); err != nil {
			t.Fatal(err)
		}
	}
	tl.Close()
	logFile.Close()
	jf, err := os.Create(filepath.Join(dir, bundle.JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	j := json.NewEncoder(jf)
	for _, e := range []bundle.JournalEntry{
		{TS: 10, Event: 0, Stage: "intent", Action: "kill", Target: "backend-1", PID: 11},
		{TS: 10, Event: 0, Stage: "done", Action: "kill", Target: "backend-1", PID: 11},
		{TS: 10, Event: 0, Stage: "done", Action: "kill", Target: "backend-2", PID: 12},
		{TS: 15, Event: 0, Stage: "done", Action: "restart", Target: "backend-1", PID: 21},
		{TS: 15, Event: 0, Stage: "done", Action: "restart", Target: "backend-2", PID: 22},
	} {
		j.Encode(e)
	}
	jf.Close()
	return dir, started
}

func TestAnalyzeCutsPhasesAndTimesTheFault(t *testing.T) {
	dir, started := writeRun(t)
	a, err := Analyze(dir, filepath.Join(dir, bundle.JournalFile), started, 20, 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Chaos) != 1 {
		t.Fatalf("chaos %+v, want one event", a.Chaos)
	}
	ev := a.Chaos[0]
	if ev.Action != "kill" || ev.Target != "backend-1,backend-2" || ev.EndS == nil || *ev.EndS != 15 {
		t.Fatalf("event %+v, want the kill of both backends undone at 15 s", ev)
	}
	// Errors start in the fault's own second; from 15 s on, five clean
	// seconds in a row: recovered 5 s after the fault.
	if ev.DetectS == nil || *ev.DetectS != 0 || ev.RecoverS == nil || *ev.RecoverS != 5 {
		t.Fatalf("detect %v, recover %v; want 0 and 5", ev.DetectS, ev.RecoverS)
	}
	base, fault, rec := a.Phases[bundle.PhaseBaseline], a.Phases[bundle.PhaseFault], a.Phases[bundle.PhaseRecovery]
	if base.EndS != 10 || fault.StartS != 10 || fault.EndS != 15 || rec.EndS != 20 {
		t.Fatalf("windows %+v %+v %+v", base, fault, rec)
	}
	if base.Sync.OK != 1000 || base.Sync.Errors != 0 || fault.Sync.Errors != 500 || fault.Sync.ErrorClass["5xx"] != 500 || rec.Sync.OK != 500 {
		t.Fatalf("counts: baseline %+v, fault %+v, recovery %+v", base.Sync, fault.Sync, rec.Sync)
	}
	if p99 := base.Sync.LatencyMS.P99; p99 < 4.9 || p99 > 5.1 {
		t.Fatalf("baseline p99 %v ms from the hlog, want 5", p99)
	}
	if fault.Sync.LatencyMS.Max != 0 {
		t.Fatal("the fault window took latencies from outside it")
	}
}

func TestAFaultThatShowsNothingHasNoDetection(t *testing.T) {
	dir, started := writeRun(t)
	os.WriteFile(filepath.Join(dir, "quiet.jsonl"), []byte(`{"t_s":3,"event":1,"stage":"done","action":"pause","target":"consumer-1"}`+"\n"), 0o644)
	a, err := Analyze(dir, filepath.Join(dir, "quiet.jsonl"), started, 20, 20)
	if err != nil {
		t.Fatal(err)
	}
	// The pause at 3 s left everything normal until the (unjournaled)
	// outage at 10 s, which is what gets detected; a fault's detection is
	// the first breach after it, whatever caused it.
	if d := a.Chaos[0].DetectS; d != nil && *d != 7 {
		t.Fatalf("detect %v", *d)
	}
}

func TestNoJournalNoPhases(t *testing.T) {
	dir, started := writeRun(t)
	a, err := Analyze(dir, filepath.Join(dir, "missing.jsonl"), started, 20, 20)
	if err != nil || a.Phases != nil || len(a.Chaos) != 0 {
		t.Fatalf("got %+v, %v; want no phases and no chaos", a, err)
	}
}

// TestATriggeredFaultSaysWhatFiredIt: a fault fired by a condition of the
// load keeps the condition and the figure it found; one at a time has
// neither.
func TestATriggeredFaultSaysWhatFiredIt(t *testing.T) {
	dir, started := writeRun(t)
	journal := `{"t_s":3,"event":0,"stage":"done","action":"pause","target":"consumer-1"}
{"t_s":12,"event":1,"stage":"done","action":"kill","target":"consumer-2","when":"async.max_lag > 500","value":612}
`
	os.WriteFile(filepath.Join(dir, "triggered.jsonl"), []byte(journal), 0o644)
	a, err := Analyze(dir, filepath.Join(dir, "triggered.jsonl"), started, 20, 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Chaos) != 2 {
		t.Fatalf("chaos %+v, want two faults", a.Chaos)
	}
	if at := a.Chaos[0]; at.When != "" || at.Value != nil {
		t.Errorf("the fault at 3 s: when %q, value %v; want neither", at.When, at.Value)
	}
	if fired := a.Chaos[1]; fired.When != "async.max_lag > 500" || fired.Value == nil || *fired.Value != 612 {
		t.Errorf("the triggered fault: when %q, value %v; want async.max_lag > 500 at 612", fired.When, fired.Value)
	}
}

// TestASecondBelongsToThePhaseHoldingMostOfIt: a fault journaled a little
// after a second starts (10.3 s) and undone a little after another (15.2 s)
// leaves the baseline clean and gives the fault all five failing seconds.
func TestASecondBelongsToThePhaseHoldingMostOfIt(t *testing.T) {
	dir, started := writeRun(t)
	journal := `{"t_s":10.3,"event":0,"stage":"done","action":"kill","target":"backend-1"}
{"t_s":15.2,"event":0,"stage":"done","action":"restart","target":"backend-1"}
`
	os.WriteFile(filepath.Join(dir, "late.jsonl"), []byte(journal), 0o644)
	a, err := Analyze(dir, filepath.Join(dir, "late.jsonl"), started, 20, 20)
	if err != nil {
		t.Fatal(err)
	}
	base, fault, rec := a.Phases[bundle.PhaseBaseline], a.Phases[bundle.PhaseFault], a.Phases[bundle.PhaseRecovery]
	if base.Sync.Errors != 0 || base.Sync.OK != 1000 || fault.Sync.Errors != 500 || fault.Sync.OK != 0 || rec.Sync.OK != 500 {
		t.Fatalf("baseline %d ok %d errors, fault %d ok %d errors, recovery %d ok; want 1000/0, 0/500, 500",
			base.Sync.OK, base.Sync.Errors, fault.Sync.OK, fault.Sync.Errors, rec.Sync.OK)
	}
	if base.Sync.LatencyMS.Max == 0 || fault.Sync.LatencyMS.Max != 0 {
		t.Fatalf("latency max: baseline %v, fault %v; want the baseline's 5 ms and none in the fault", base.Sync.LatencyMS.Max, fault.Sync.LatencyMS.Max)
	}
}
