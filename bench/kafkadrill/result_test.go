package main

import (
	"slices"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/drive"
)

// TestAccountMeasuresTakeoverPerKind feeds account a made-up drill: jobs on
// partitions 0-2 and who completed them when, the fault at 10 s.
func TestAccountMeasuresTakeoverPerKind(t *testing.T) {
	start := time.Unix(1_000_000, 0)
	at := func(s float64) time.Time { return start.Add(time.Duration(s * float64(time.Second))) }
	fault := at(10)
	jobs := map[string]job{
		"r1-a0": {partition: 0, sentNS: at(9).UnixNano()},
		"r1-a1": {partition: 1, sentNS: at(9).UnixNano()},
		"r1-a2": {partition: 2, sentNS: at(9).UnixNano()},
		"r1-a3": {partition: 0, sentNS: at(11).UnixNano()},
		"r1-a4": {partition: 1, sentNS: at(11).UnixNano()},
		"r1-a5": {partition: 2, sentNS: at(11).UnixNano()},
		"r1-a6": {partition: 2, sentNS: at(12).UnixNano()},
	}
	done := func(id, worker string, s float64) drive.Completion {
		return drive.Completion{ID: id, Worker: worker, Seen: at(s)}
	}
	// Before the fault w1 owns partition 0, w2 partition 1, w3 partition 2.
	before := []drive.Completion{done("r1-a0", "w1", 9.1), done("r1-a1", "w2", 9.2), done("r1-a2", "w3", 9.3)}
	for _, tc := range []struct {
		name      string
		sp        span
		after     []drive.Completion
		wantS     float64 // takeover, from the fault
		wantTook  bool
		affected  []int
		wantUndo  float64
		wantDups  int64
		wantUndon int64 // jobs never completed
	}{{
		// The survivor w2 completing its own partition is not a takeover;
		// completing w1's is.
		name: "kill-one", sp: span{victims: map[string]bool{"w1": true}, survivors: true},
		after: []drive.Completion{done("r1-a4", "w2", 10.5), done("r1-a3", "w2", 17), done("r1-a5", "w3", 11)},
		wantS: 7, wantTook: true, affected: []int{0}, wantUndon: 1,
	}, {
		// w3 takes the paused w1's and w2's partitions; w1 finishing its job
		// again after SIGCONT is a duplicate, not the takeover.
		name: "pause-two", sp: span{victims: map[string]bool{"w1": true, "w2": true}, survivors: true, undoing: at(20), undone: at(20.01)},
		after: []drive.Completion{done("r1-a5", "w3", 10.5), done("r1-a4", "w3", 17.2), done("r1-a3", "w3", 17.1), done("r1-a3", "w1", 20.3)},
		wantS: 7.1, wantTook: true, affected: []int{0, 1}, wantUndo: 10, wantDups: 1, wantUndon: 1,
	}, {
		// A completion the dead consumers made just before the kill and the
		// listener saw just after is not the recovery; the first after the
		// restart is.
		name: "kill-all", sp: span{victims: map[string]bool{"w1": true, "w2": true, "w3": true}, undoing: at(12), undone: at(12.5)},
		after: []drive.Completion{done("r1-a3", "w1", 10.01), done("r1-a4", "w4", 16), done("r1-a5", "w5", 16.2), done("r1-a6", "w5", 16.3)},
		wantS: 6, wantTook: true, affected: []int{0, 1, 2}, wantUndo: 2,
	}, {
		name: "broker", sp: span{victims: map[string]bool{}, undoing: at(20), undone: at(20.001)},
		after: []drive.Completion{done("r1-a3", "w1", 20.2), done("r1-a4", "w2", 20.25), done("r1-a5", "w3", 20.3), done("r1-a6", "w3", 20.4)},
		wantS: 10.2, wantTook: true, affected: []int{0, 1, 2}, wantUndo: 10,
	}, {
		// Nobody completed w1's partition after the kill: no takeover, and
		// its job is left undone.
		name: "no takeover", sp: span{victims: map[string]bool{"w1": true}, survivors: true},
		after:    []drive.Completion{done("r1-a4", "w2", 11), done("r1-a5", "w3", 11), done("r1-a6", "w3", 12.5)},
		affected: []int{0}, wantUndon: 1,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			sp := tc.sp
			sp.start, sp.fault, sp.loadEnd = start, fault, at(20)
			var r Result
			r.account(jobs, append(slices.Clone(before), tc.after...), sp)
			if r.TookOver != tc.wantTook || !near(r.TakeoverS, tc.wantS) {
				t.Errorf("takeover %v after %.3fs; want %v after %.3fs", r.TookOver, r.TakeoverS, tc.wantTook, tc.wantS)
			}
			if !slices.Equal(r.AffectedPartitions, tc.affected) {
				t.Errorf("affected partitions %v; want %v", r.AffectedPartitions, tc.affected)
			}
			if !near(r.UndoS, tc.wantUndo) {
				t.Errorf("undo %.3fs after the fault; want %.3fs", r.UndoS, tc.wantUndo)
			}
			if r.Duplicates != tc.wantDups || r.Uncompleted != tc.wantUndon || r.Jobs != int64(len(jobs)) {
				t.Errorf("jobs %d, duplicates %d, uncompleted %d; want %d, %d, %d", r.Jobs, r.Duplicates, r.Uncompleted, len(jobs), tc.wantDups, tc.wantUndon)
			}
			if !near(r.FaultS, 10) {
				t.Errorf("fault %.3fs into the load; want 10", r.FaultS)
			}
		})
	}
}

// TestAccountCountsByIDOfTheRun feeds account jobs of one run (and one of
// another) and completions: twice, of ids beyond the jobs, of another run.
func TestAccountCountsByIDOfTheRun(t *testing.T) {
	start := time.Unix(1_000_000, 0)
	jobs := map[string]job{"r1-a0": {}, "r1-a1": {}, "r1-a2": {}, "r1-a4": {}, "r0-a9": {}}
	var cs []drive.Completion
	for i, id := range []string{"r1-a0", "r1-a1", "r1-a1", "r1-a3", "r1-a7", "r2-a0", "r1-a01"} {
		cs = append(cs, drive.Completion{ID: id, Worker: "w1", Seen: start.Add(time.Duration(i) * time.Second)})
	}
	var r Result
	r.account(jobs, cs, span{start: start, fault: start.Add(time.Second), loadEnd: start.Add(10 * time.Second)})
	// Jobs 0 and 1 completed; 2, 4 and the other run's job not; 1 done twice;
	// 3 (among the jobs' numbers, not in the topic), 7 (beyond them), r2's
	// and a non-canonical id are unexpected.
	if r.Jobs != 5 || r.Completed != 2 || r.Uncompleted != 3 || r.Duplicates != 1 || r.Unexpected != 4 || r.RedoneBy["w1"] != 1 {
		t.Errorf("jobs %d, completed %d, uncompleted %d, duplicates %d, unexpected %d, redone by %v; want 5, 2, 3, 1, 4, w1 once",
			r.Jobs, r.Completed, r.Uncompleted, r.Duplicates, r.Unexpected, r.RedoneBy)
	}
}

// TestFromSummaryCountsEveryCompletionNeverAccepted: the run's ledger
// tells a rejected job completed anyway apart from an id it never sent;
// completed_unaccepted is both.
func TestFromSummaryCountsEveryCompletionNeverAccepted(t *testing.T) {
	afterRejection, unexpected := int64(5), int64(1)
	var r Result
	r.fromSummary(&bundle.Summary{Async: &bundle.Async{CompletedAfterRejection: &afterRejection, Unexpected: &unexpected}})
	if r.CompletedUnaccepted != 6 {
		t.Errorf("completed unaccepted %d; want 6: 5 after a rejection, 1 unexpected", r.CompletedUnaccepted)
	}
}

func near(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 }
