package phases

import (
	"bytes"
	"cmp"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/testkit"
)

// FuzzReadJournal: reading a journal never panics; it finds at most a fault
// per line, in order of time, each with a target; an error names the file
// and a line of it, is short and quotes no line of the input.
func FuzzReadJournal(f *testing.F) {
	dir, _ := writeRun(f)
	journal, err := os.ReadFile(filepath.Join(dir, bundle.JournalFile))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(journal), "", "{}\n", "[1]\n", `{"event":99999999999999999999}` + "\n",
		`{"time":"2026-01-02T03:04:05Z","event":1,"stage":"done","action":"pause","target":"c-1"}` + "\n",
		`{"t_s":1e300,"event":0,"stage":"done","action":"kill","target":"b"}` + "\n" + `{"t_s":-5,"event":1,"stage":"done","action":"kill","target":"a"}`,
	} {
		f.Add([]byte(seed))
	}
	fileLine := regexp.MustCompile(`^j\.jsonl:(\d+): `)
	started := time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		faults, err := readJournal(bytes.NewReader(data), "j.jsonl", started)
		lines := bytes.Count(data, []byte("\n")) + 1
		if err != nil {
			testkit.CheckUntrustedError(t, fileLine, err, data, lines, 200)
			return
		}
		if len(faults) > lines {
			t.Fatalf("%d faults from %d lines", len(faults), lines)
		}
		if !slices.IsSortedFunc(faults, func(a, b Fault) int { return cmp.Compare(a.TS, b.TS) }) {
			t.Fatal("faults out of order")
		}
		for _, ft := range faults {
			if len(ft.Targets) == 0 || len(ft.Targets) != len(ft.PIDs) {
				t.Fatalf("fault %+v: targets and pids do not match", ft)
			}
		}
	})
}

// FuzzAnalyzeTimeline: whatever timeline.jsonl holds, the analysis of a run
// with a fault never panics, allocates by the lines it reads rather than by
// the seconds they claim, and cuts three windows when it succeeds.
func FuzzAnalyzeTimeline(f *testing.F) {
	run, started := writeRun(f)
	timeline, err := os.ReadFile(filepath.Join(run, bundle.TimelineFile))
	if err != nil {
		f.Fatal(err)
	}
	syncLog, err := os.ReadFile(filepath.Join(run, bundle.SyncLog))
	if err != nil {
		f.Fatal(err)
	}
	journal := filepath.Join(run, bundle.JournalFile)
	for _, seed := range []string{
		string(timeline), "", `{"t_s":3599,"path":"sync","completed":1,"errors":1}` + "\n",
		`{"t_s":-0.4,"path":"async.lag","group":"g","lag":5}` + "\n" + `{"t_s":1,"event":"stall","group":"g"}` + "\n",
	} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	if err := os.WriteFile(filepath.Join(dir, bundle.SyncLog), syncLog, 0o644); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, bundle.TimelineFile), data, 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		a, err := Analyze(dir, journal, started, 20, 20)
		runtime.ReadMemStats(&after)
		lines := uint64(bytes.Count(data, []byte("\n")) + 1)
		if grown, bound := after.TotalAlloc-before.TotalAlloc, 16<<20+lines*4<<10; grown > bound {
			t.Fatalf("%d lines allocated %d bytes", lines, grown)
		}
		if err == nil && len(a.Phases) != 3 {
			t.Fatalf("%d phases, want baseline, fault and recovery", len(a.Phases))
		}
	})
}
