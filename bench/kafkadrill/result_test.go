package main

import (
	"slices"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/drive"
)

// TestAccountMeasuresTakeoverPerKind feeds account a made-up drill: jobs on
// partitions 0-2 and who completed them when, the fault at 10 s.
func TestAccountMeasuresTakeoverPerKind(t *testing.T) {
	start := time.Unix(1_000_000, 0)
	at := func(s float64) time.Time { return start.Add(time.Duration(s * float64(time.Second))) }
	fault := at(10)
	jobs := map[string]job{
		"a": {partition: 0, sentNS: at(9).UnixNano()},
		"b": {partition: 1, sentNS: at(9).UnixNano()},
		"c": {partition: 2, sentNS: at(9).UnixNano()},
		"d": {partition: 0, sentNS: at(11).UnixNano()},
		"e": {partition: 1, sentNS: at(11).UnixNano()},
		"f": {partition: 2, sentNS: at(11).UnixNano()},
		"g": {partition: 2, sentNS: at(12).UnixNano()},
	}
	done := func(id, worker string, s float64) drive.Completion {
		return drive.Completion{ID: id, Worker: worker, Seen: at(s)}
	}
	// Before the fault w1 owns partition 0, w2 partition 1, w3 partition 2.
	before := []drive.Completion{done("a", "w1", 9.1), done("b", "w2", 9.2), done("c", "w3", 9.3)}
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
		after: []drive.Completion{done("e", "w2", 10.5), done("d", "w2", 17), done("f", "w3", 11)},
		wantS: 7, wantTook: true, affected: []int{0}, wantUndon: 1,
	}, {
		// w3 takes the paused w1's and w2's partitions; w1 finishing its job
		// again after SIGCONT is a duplicate, not the takeover.
		name: "pause-two", sp: span{victims: map[string]bool{"w1": true, "w2": true}, survivors: true, undoing: at(20), undone: at(20.01)},
		after: []drive.Completion{done("f", "w3", 10.5), done("e", "w3", 17.2), done("d", "w3", 17.1), done("d", "w1", 20.3)},
		wantS: 7.1, wantTook: true, affected: []int{0, 1}, wantUndo: 10, wantDups: 1, wantUndon: 1,
	}, {
		// A completion the dead consumers made just before the kill and the
		// listener saw just after is not the recovery; the first after the
		// restart is.
		name: "kill-all", sp: span{victims: map[string]bool{"w1": true, "w2": true, "w3": true}, undoing: at(12), undone: at(12.5)},
		after: []drive.Completion{done("d", "w1", 10.01), done("e", "w4", 16), done("f", "w5", 16.2), done("g", "w5", 16.3)},
		wantS: 6, wantTook: true, affected: []int{0, 1, 2}, wantUndo: 2,
	}, {
		name: "broker", sp: span{victims: map[string]bool{}, undoing: at(20), undone: at(20.001)},
		after: []drive.Completion{done("d", "w1", 20.2), done("e", "w2", 20.25), done("f", "w3", 20.3), done("g", "w3", 20.4)},
		wantS: 10.2, wantTook: true, affected: []int{0, 1, 2}, wantUndo: 10,
	}, {
		// Nobody completed w1's partition after the kill: no takeover, and
		// its job is left undone.
		name: "no takeover", sp: span{victims: map[string]bool{"w1": true}, survivors: true},
		after:    []drive.Completion{done("e", "w2", 11), done("f", "w3", 11), done("g", "w3", 12.5)},
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

func near(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 }
