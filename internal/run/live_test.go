package run

import (
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/pace"
	"github.com/loadchaos/loadgen/profiles"
)

func TestConditionsReadTheLastSecondOfTheTimeline(t *testing.T) {
	view := newLive()
	cond := func(text string) condition {
		t.Helper()
		e, err := parseCondition(text)
		if err != nil {
			t.Fatal(err)
		}
		return condition{expr: e, view: view}
	}
	lag, errs, p99, group := cond("async.max_lag > 500"), cond("sync.error_ratio > 5%"), cond("sync.latency_ms.p99 < 50"), cond("async.groups.email.max_lag >= 300")
	// Before any second is written no figure is known: nothing holds, not
	// even a < that a zero would satisfy.
	for _, c := range []condition{lag, errs, p99, group} {
		if _, holds := c.Check(); holds {
			t.Fatalf("%s holds before any figure", c)
		}
	}
	view.observe(bundle.TimelineLine{TS: 0, Path: bundle.PathSync, Completed: 100, OK: 99, Errors: 1, P99MS: 20})
	view.observe(bundle.TimelineLine{TS: 0, Path: bundle.PathAsyncLag, Group: "email", Lag: 300})
	view.observe(bundle.TimelineLine{TS: 0, Path: bundle.PathAsyncLag, Group: "index", Lag: 120})
	view.observe(bundle.TimelineLine{TS: 0.3, Event: bundle.EventChaos, Action: "kill"})
	check := func(c condition, wantValue float64, wantHolds bool) {
		t.Helper()
		if v, holds := c.Check(); v != wantValue || holds != wantHolds {
			t.Errorf("%s = %v, %v; want %v, %v", c, v, holds, wantValue, wantHolds)
		}
	}
	check(lag, 300, false)
	check(errs, 0.01, false)
	check(p99, 20, true)
	check(group, 300, true)
	// The next second replaces the last: only it counts.
	view.observe(bundle.TimelineLine{TS: 1, Path: bundle.PathSync, Completed: 100, OK: 90, Errors: 10, P99MS: 80})
	view.observe(bundle.TimelineLine{TS: 1, Path: bundle.PathAsyncLag, Group: "index", Lag: 650})
	check(lag, 650, true)
	check(errs, 0.1, true)
	check(p99, 80, false)
}

func TestAConditionUsesOnlyFiguresOfASecond(t *testing.T) {
	for _, ok := range []string{"async.max_lag > 500", "sync.error_ratio > 5%", "sync.error_classes.5xx > 10",
		"async.groups.email.e2e_latency_ms.p99 > 2000", "async.groups[*].max_lag > 10", "async.reject_ratio > 0"} {
		if _, err := parseCondition(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"async.lost > 0", "sync.latency_ms.p999 > 5", "phases.fault.sync.error_ratio > 0",
		"chaos[0].recover_s > 1", "async.lag > 500", "sync.error_ratio >"} {
		if _, err := parseCondition(bad); err == nil {
			t.Errorf("%s: accepted as a condition", bad)
		}
	}
	_, err := profiles.Parse("drill.yaml", []byte(`version: 1
stages: [{shape: constant, rate: 10, for: 10s}]
chaos: [{when: async.lost > 0, action: kill, target: consumers}]
`), ProfileChecks()...)
	if err == nil || !strings.Contains(err.Error(), "drill.yaml:3: chaos[0].when: async.lost is not a figure of a second") {
		t.Fatalf("error %v, want the when refused on its line", err)
	}
}

func TestMomentsLandOnTheBurstsOfTheSchedule(t *testing.T) {
	prof, err := profiles.Parse("bursts.yaml", []byte(`version: 1
seed: 5
stages:
  - {shape: constant, rate: 10, for: 5s}
  - {shape: burst, base: 10, peak: 200, width: 2s, period: 10s, jitter: 3s, for: 30s}
chaos:
  - {at: burst.peak, action: kill, target: consumers}
  - {at: "burst.start[1]", action: kill, target: consumers}
  - {at: "burst.end[2]", action: kill, target: consumers}
`), ProfileChecks()...)
	if err != nil {
		t.Fatal(err)
	}
	shape := shapeOf(prof)
	events, err := chaosEvents(prof.Chaos, shape, prof.Duration, newLive())
	if err != nil {
		t.Fatal(err)
	}
	// Each event lands in its burst, at the peak rate, and its burst is the
	// Nth: the rate has risen to the peak N+1 times by then.
	for i, want := range []struct {
		moment string
		burst  int
	}{{"burst.peak", 0}, {"burst.start[1]", 1}, {"burst.end[2]", 2}} {
		ev := events[i]
		if ev.Moment != want.moment || ev.Missed != "" {
			t.Fatalf("event %d: moment %q missed %q, want %q", i, ev.Moment, ev.Missed, want.moment)
		}
		at := ev.At
		if strings.HasPrefix(want.moment, "burst.end") {
			at -= time.Millisecond // the end is the first instant back at the base
			if shape.Rate(ev.At) != 10 {
				t.Errorf("%s at %v: rate %v, want back at the base", want.moment, ev.At, shape.Rate(ev.At))
			}
		}
		if strings.HasPrefix(want.moment, "burst.peak") && (shape.Rate(at-999*time.Millisecond) != 200 || shape.Rate(at+999*time.Millisecond) != 200) {
			t.Errorf("%s at %v: not the middle of its 2 s burst", want.moment, at)
		}
		if shape.Rate(at) != 200 {
			t.Errorf("%s at %v: rate %v, want the peak 200", want.moment, at, shape.Rate(at))
		}
		if rises := risesUntil(shape, at); rises != want.burst+1 {
			t.Errorf("%s at %v: the rate rose %d times, want %d", want.moment, at, rises, want.burst+1)
		}
	}
	// A run cut at 20 s plays 2 bursts: the third never comes.
	if _, missed := momentAt(profiles.Moment{Kind: "peak", Burst: 2}, shape, 20*time.Second); !strings.Contains(missed, "2 bursts") {
		t.Fatalf("burst.peak[2] of 20 s: missed %q, want it said to never come", missed)
	}
}

// risesUntil counts the rises of the rate from 0 until at, looking every
// millisecond and at at itself.
func risesUntil(shape pace.Shape, at time.Duration) int {
	rises, prev := 0, shape.Rate(0)
	for t := time.Millisecond; ; t += time.Millisecond {
		t = min(t, at)
		if r := shape.Rate(t); r > prev {
			rises++
		}
		prev = shape.Rate(t)
		if t == at {
			return rises
		}
	}
}
