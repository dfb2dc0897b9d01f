package run

import (
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/pace"
	"github.com/loadchaos/loadgen/profiles"
)

func TestEverySegmentDerivesTheSameRunIDAndSeed(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	prof := &profiles.Profile{Name: "check out"}
	a := runIDOf(Options{Profile: prof, Segment: pace.Segment{Index: 0, Count: 3}, StartAt: at}, time.Now())
	b := runIDOf(Options{Profile: prof, Segment: pace.Segment{Index: 2, Count: 3}, StartAt: at}, time.Now().Add(time.Second))
	if a != b || a != "check_out-20261201-100000.000" || checkRunID(a) != nil {
		t.Errorf("segments 0 and 2 derive run ids %q and %q; want one, fit to name a directory", a, b)
	}
	if seedOf(a) != seedOf(b) || seedOf(a) == 0 || seedOf(a) >= 1<<53 {
		t.Errorf("seeds %d and %d: want one, not zero, exact in JSON", seedOf(a), seedOf(b))
	}
	if got := runIDOf(Options{Profile: prof, RunID: "given"}, time.Now()); got != "given" {
		t.Errorf("with --run-id: %q", got)
	}
	if x, y := runIDOf(Options{Profile: prof}, at), runIDOf(Options{Profile: prof}, at); x == y {
		t.Errorf("two whole runs started at one instant share the id %q", x)
	}
	if got := bundleName("r1", pace.Segment{Index: 1, Count: 3}); got != "r1-seg1of3" {
		t.Errorf("a segment's bundle is %q", got)
	}
}

func TestASplitRunNeedsATargetOfItsOwnAndOneStart(t *testing.T) {
	seg := pace.Segment{Index: 0, Count: 2}
	tests := []struct {
		opts Options
		want string // part of the error; "" for none
	}{
		{Options{Segment: seg, SyncURL: "http://127.0.0.1:1/", StartAt: time.Now()}, ""},
		{Options{Segment: seg, StartAt: time.Now()}, "--segment needs a target"},
		{Options{Segment: seg, SyncURL: "http://127.0.0.1:1/"}, "--segment needs --start-at"},
		{Options{SyncURL: "http://127.0.0.1:1/", RunID: "ok.run_1-a"}, ""},
		{Options{SyncURL: "http://127.0.0.1:1/", RunID: "../etc"}, "--run-id"},
		{Options{SyncURL: "http://127.0.0.1:1/", RunID: "-x"}, "--run-id"},
		{Options{SyncURL: "http://127.0.0.1:1/", RunID: strings.Repeat("a", 65)}, "--run-id"},
	}
	for _, tt := range tests {
		err := tt.opts.Validate()
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%+v: %v; want %q", tt.opts, err, tt.want)
		}
	}
}
