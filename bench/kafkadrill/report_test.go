package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

func TestPrintDrillsTabulatesPerBrokerAndKindAndGivesTheVerdict(t *testing.T) {
	ok := func(backend string, kind Kind, dups int64, takeoverS float64, exit int) *Result {
		return &Result{Backend: backend, Kind: kind, Duplicates: dups, TakeoverS: takeoverS, TookOver: true, RunExit: exit}
	}
	clean := []*Result{
		ok("kfake", KillOne, 2, 7.0, 0), ok("kfake", KillOne, 4, 7.2, 0), ok("kfake", KillOne, 9, 7.1, 97),
		ok("kafka", Broker, 0, 15.5, 0),
	}
	clean[3].Rejected, clean[3].CompletedUnaccepted = 120, 80
	clean[3].ConsumerExits = map[string]int{"w1": 1, "w2": 2}
	files := []string{"kfake-000.json", "kfake-004.json", "kfake-008.json", "kafka-003.json"}
	for _, tc := range []struct {
		name     string
		results  []*Result
		wantRows []string // each a row's fields, in order
		wantLine string
		wantExit int
	}{{
		// Duplicates and takeover: the median by nearest rank, and the max.
		name: "nothing lost", results: clean,
		wantRows: []string{
			"kafka broker 1 0 0 0/0 120 80 15.50/15.50 0 3 0 x1 0",
			"kfake kill-one 3 0 0 4/9 0 0 7.10/7.20 0 0 0 x2, 97 x1 0",
		},
		wantLine: "4 drills, 0 lost", wantExit: 0,
	}, {
		// A lost job is a failure named by its file; it wins over a drill
		// that could not run.
		name: "one lost, one not run",
		results: []*Result{clean[0], {Backend: "kfake", Kind: KillOne, Lost: 3, Uncompleted: 3, RunExit: 99},
			clean[2], {Backend: "kafka", Kind: Broker, Error: "inject: exit 1"}},
		wantRows: []string{
			"kafka broker 1 0 0 - 0 0 - 0 0 - 1",
			"kfake kill-one 3 3 3 2/9 0 0 7.00/7.10 1 0 0 x1, 97 x1, 99 x1 0",
		},
		wantLine: "4 drills, 3 lost; failed: kfake-004.json (kfake kill-one: lost 3, uncompleted 3), kafka-003.json (kafka broker: could not run)",
		wantExit: 99,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			v, err := printDrills(&out, tc.results, files)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			var rows []string
			for _, l := range lines[1 : len(lines)-1] {
				rows = append(rows, strings.Join(strings.Fields(l), " "))
			}
			if strings.Join(rows, "\n") != strings.Join(tc.wantRows, "\n") {
				t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(tc.wantRows, "\n"))
			}
			if last := lines[len(lines)-1]; last != tc.wantLine {
				t.Errorf("last line %q; want %q", last, tc.wantLine)
			}
			if v.exitCode() != tc.wantExit {
				t.Errorf("exit %d; want %d", v.exitCode(), tc.wantExit)
			}
		})
	}
}

func TestReadResultTakesWhatDrillWritesAndRefusesTheRest(t *testing.T) {
	good, err := json.Marshal(&Result{Backend: "kafka", Kind: PauseTwo, Lost: 1, TakeoverS: 7.05, TookOver: true, RejectedBy: map[string]int64{"5xx": 3}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	r, err := readResult(write("good.json", string(good)))
	if err != nil || r.Kind != PauseTwo || r.Lost != 1 || r.RejectedBy["5xx"] != 3 {
		t.Fatalf("readResult: %+v, %v; want what was written", r, err)
	}
	for _, tc := range []struct{ name, content, want string }{
		{"unknown field", `{"kind": "broker", "secret-token-xyz": 1}`, "an unknown field"},
		{"wrong type", `{"kind": "broker", "lost": "secret-token-xyz"}`, "field lost: not a int64"},
		{"unknown kind", `{"kind": "secret-token-xyz"}`, "kind: not one of"},
		{"odd backend", `{"kind": "broker", "backend": "secret-token-xyz\n\u001b[2J"}`, "backend: not a name"},
		{"two objects", `{"kind": "broker"} {"secret-token-xyz": 1}`, "more after the object"},
		{"not JSON", `secret-token-xyz`, "invalid JSON at byte 1"},
		{"too big", `{"kind": "broker", "backend": "` + strings.Repeat("x", maxResultBytes) + `secret-token-xyz"}`, "over 1048576 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := write(strings.ReplaceAll(tc.name, " ", "-")+".json", tc.content)
			_, err := readResult(p)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), p+": ") {
				t.Fatalf("readResult: %v; want an error naming the file and saying %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "secret-token-xyz") {
				t.Errorf("the error repeats the file's content: %v", err)
			}
		})
	}
}

func TestRunSummaryReadsTheRunsOneBundleWhetherOrNotLatestPointsAtIt(t *testing.T) {
	// A run whose completions reader met an error (the broker was down)
	// writes its bundle but leaves results/latest alone.
	lost := int64(2)
	b, err := json.Marshal(bundle.Summary{Schema: bundle.Schema, Async: &bundle.Async{Accepted: 10, Lost: &lost}})
	if err != nil {
		t.Fatal(err)
	}
	for _, withLatest := range []bool{false, true} {
		results := t.TempDir()
		dir := filepath.Join(results, "20261201-000000-abcdef")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "summary.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		if withLatest {
			if err := os.Symlink(filepath.Base(dir), filepath.Join(results, "latest")); err != nil {
				t.Fatal(err)
			}
		}
		s, err := runSummary(results)
		if err != nil || s.Async.Accepted != 10 || *s.Async.Lost != 2 {
			t.Errorf("latest %v: runSummary: %+v, %v; want the bundle's summary", withLatest, s, err)
		}
	}
}
