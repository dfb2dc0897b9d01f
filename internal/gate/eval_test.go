package gate

import (
	"errors"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
)

func ptr[T any](v T) *T { return &v }

// summary is a small run: sync with errors, async with two groups, phases,
// one fault recovered from and one not.
func summary() *bundle.Summary {
	return &bundle.Summary{
		Schema: bundle.Schema,
		Run:    bundle.Run{ID: "r", DurationS: 100, Valid: true},
		Sync: &bundle.Sync{Sent: 1000, OK: 990, Errors: 10, ErrorClass: map[string]int64{"5xx": 10},
			LatencyMS: hist.LatencyMS{P50: 20, P99: 78.5},
			Schedule:  bundle.Schedule{Scheduled: 1000, Late: 5, OfferedRate: 10, AchievedRate: 9.5},
			Requests: map[string]*bundle.PhaseSync{
				"browse":   {Sent: 700, OK: 700, LatencyMS: hist.LatencyMS{P99: 30}},
				"checkout": {Sent: 300, OK: 290, Errors: 10, LatencyMS: hist.LatencyMS{P99: 180}},
			}},
		Async: &bundle.Async{Sent: 1000, Accepted: 800, Rejected: 200, Completed: ptr[int64](800), Lost: ptr[int64](0),
			Requests:   map[string]*bundle.AsyncRequest{"order": {Sent: 1000, Accepted: 800, Rejected: 200}},
			Duplicates: ptr[int64](8),
			Groups: map[string]*bundle.Group{
				"billing": {Completed: 800, MaxLag: 12},
				"email":   {Completed: 796, Lost: 4, MaxLag: 300},
			}},
		Phases: map[string]*bundle.Phase{
			"fault": {StartS: 40, EndS: 60, Sync: &bundle.PhaseSync{Sent: 200, Errors: 50},
				Async: &bundle.PhaseAsync{Sent: 200, Accepted: 150, E2ELatencyMS: &hist.LatencyMS{P99: 12000}}},
		},
		Chaos: []bundle.ChaosEvent{
			{TS: 40, DetectS: ptr(1.5), RecoverS: ptr(12.0)},
			{TS: 55, DetectS: ptr(0.5)},
		},
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		expr  string
		value float64
		ok    bool
	}{
		{"sync.latency_ms.p99 < 50", 78.5, false},                      // a plain failure carries the value
		{"sync.latency_ms.p99 < 100", 78.5, true},                      // and a pass
		{"sync.error_ratio <= 1%", 0.01, true},                         // 10 / 1000, at the bound
		{"sync.rate >= 9.5", 9.5, true},                                // the achieved rate
		{"sync.late_ratio < 0.001", 0.005, false},                      // 5 / 1000
		{"async.reject_ratio < 10%", 0.2, false},                       // 200 / 1000
		{"async.accept_ratio >= 80%", 0.8, true},                       // 800 / 1000
		{"async.lost == 0", 0, true},                                   // a pointer field
		{"async.lost_ratio == 0", 0, true},                             // derived from a pointer field
		{"async.duplicate_ratio < 0.02", 0.01, true},                   // 8 / 800
		{"async.completed_rate > 7", 8, true},                          // 800 / 100 s
		{"async.e2e_latency_ms.p99 < 1000", 0, false},                  // absent (no completions read): fails
		{"async.groups.email.lost == 0", 4, false},                     // a group by name
		{"async.groups.email.lost_ratio < 1%", 0.005, true},            // 4 / 800 accepted
		{"async.groups.sms.lost == 0", 0, false},                       // an absent group fails
		{"async.groups[*].max_lag < 100", 300, false},                  // the worst group
		{"async.groups[*].completed > 797", 796, false},                // the worst is the smallest for >
		{"sync.error_classes.5xx == 10", 10, true},                     // a counted class
		{"sync.error_classes.refused == 0", 0, true},                   // an absent class is 0
		{"phases.fault.async.e2e_latency_ms.p99 < 15000", 12000, true}, // a phase
		{"phases.fault.sync.error_ratio < 0.2", 0.25, false},           // derived within a phase
		{"phases.fault.sync.rate == 10", 10, true},                     // 200 / 20 s
		{"phases.fault.async.accept_ratio > 90%", 0.75, false},         // 150 / 200
		{"phases.baseline.sync.ok > 0", 0, false},                      // an absent phase fails
		{"chaos[*].detect_s < 2", 1.5, true},                           // every element holds
		{"chaos[*].recover_s < 30", 12, false},                         // one is null: fails, value of the others
		{"chaos[0].recover_s < 30", 12, true},                          // the first alone
		{"chaos[5].recover_s < 30", 0, false},                          // out of range fails
		{"run.valid == 1", 1, true},                                    // a boolean
		{"thresholds[*].value < 1", 0, true},                           // [*] over an empty list holds
		{"chaos[*].t_s != 55", 55, false},                              // != reports the first that fails
		{"sync.requests.checkout.latency_ms.p99 < 200", 180, true},     // a kind of request of a mix, by name
		{"sync.requests.checkout.error_ratio < 1%", 10.0 / 300, false}, // derived for a kind
		{"sync.requests[*].latency_ms.p99 < 100", 180, false},          // the worst kind
		{"sync.requests.browse.rate == 7", 7, true},                    // 700 / 100 s of the run
		{"sync.requests.search.ok > 0", 0, false},                      // a kind the run did not send fails
		{"async.requests.order.reject_ratio <= 20%", 0.2, true},        // the async path's kinds
		{"async.requests.order.rate == 10", 10, true},                  // 1000 / 100 s
	}
	for _, tt := range tests {
		got, err := Check(summary(), []string{tt.expr})
		if err != nil {
			t.Errorf("Check(%q): %v", tt.expr, err)
			continue
		}
		want := bundle.Threshold{Expr: tt.expr, Value: tt.value, OK: tt.ok}
		if len(got) != 1 || got[0] != want {
			t.Errorf("Check(%q) = %+v, want %+v", tt.expr, got, want)
		}
	}
}

func TestCheckReportsEveryParseError(t *testing.T) {
	_, err := Check(summary(), []string{"async.lost == 0", "sync.p99 < 5", "async.lost = 0"})
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("Check: %v, want a *ParseError", err)
	}
	if n := strings.Count(err.Error(), "threshold "); n != 2 {
		t.Errorf("Check: %d errors in %q, want 2", n, err)
	}
}
