package run

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
)

func TestALagSampleIsWrittenInItsSecondWithItsPartitions(t *testing.T) {
	var out bytes.Buffer
	start := time.Now()
	w := &lagWatch{tl: newTimeline(&out), start: start, names: []string{"billing", "search"},
		last: make([]int64, 2), max: make([]int64, 2), maxPer: make([][]int64, 2)}

	// Before the start (a --start-at ahead): no second of the run to write in.
	w.record(start.Add(-5*time.Second), [][]int64{{100, 100}, {1, 1}})
	if out.Len() != 0 || w.worst() != 0 {
		t.Fatalf("a sample before the start wrote %q, worst %d; want nothing", out.String(), w.worst())
	}
	w.record(start.Add(2500*time.Millisecond), [][]int64{{1, 2}, {0, 0}})
	w.record(start.Add(3500*time.Millisecond), [][]int64{{4, 0}, {0, 0}})

	var lines []bundle.TimelineLine
	for dec := json.NewDecoder(&out); dec.More(); {
		var l bundle.TimelineLine
		if err := dec.Decode(&l); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	if len(lines) != 4 || lines[0].TS != 2 || lines[0].Path != bundle.PathAsyncLag || lines[0].Group != "billing" ||
		lines[0].Lag != 3 || !slices.Equal(lines[0].PartitionLag, []int64{1, 2}) || lines[1].Group != "search" || lines[2].TS != 3 {
		t.Fatalf("lines %+v; want billing and search at second 2 (billing 3: 1 and 2), then at second 3", lines)
	}
	billing := w.summary()["billing"]
	if billing.MaxLag != 4 || !slices.Equal(billing.MaxLagByPartition, []int64{4, 2}) || w.lagOf(0) != 4 || w.lastWorst() != 4 {
		t.Fatalf("billing %+v, last %d; want max 4, each partition's worst [4 2], last 4", billing, w.lagOf(0))
	}
}

func TestProgressShowsTheUsersGroupsLag(t *testing.T) {
	start := time.Now()
	w := &lagWatch{start: start, names: []string{"billing", "search"}, last: []int64{12, 340}, max: make([]int64, 2), maxPer: make([][]int64, 2)}
	var out bytes.Buffer
	pr := &progress{w: &out, start: start, total: 10 * time.Second, userLag: w, last: map[*path][2]int64{}, lastAt: start}
	pr.print(start.Add(2 * time.Second))
	if !bytes.Contains(out.Bytes(), []byte("| your groups' lag 340")) {
		t.Fatalf("progress line %q; want the worst of the user's groups' last lags, 340", out.String())
	}
}
