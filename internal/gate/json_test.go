package gate

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

func TestReportJSON(t *testing.T) {
	checks := []bundle.Threshold{
		{Expr: "sync.latency_ms.p99 < 50", Value: 12.5, OK: true},
		{Expr: "sync.error_ratio <= 1%", Value: 0.03, OK: false},
		{Expr: "chaos[*].recover_s < 30", Value: 0, OK: false}, // a fault never recovered from
		{Expr: "sync.latency_ms.p99" + regressionOp + "10%", Value: 25, OK: false},
	}
	var buf bytes.Buffer
	if err := JSON(&buf, NewReport(checks, true, []string{"builds differ"})); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Schema, Verdict string
		RunValid        bool `json:"run_valid"`
		Failed          int
		Checks          []struct {
			Expr, Kind, Figure, Op, Verdict, Why string
			Value                                *float64
			Bound                                float64
		}
		Warnings []string
	}
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("%v:\n%s", err, buf.String())
	}
	if got.Schema != ReportSchema || got.Verdict != "fail" || !got.RunValid || got.Failed != 3 || len(got.Checks) != 4 || len(got.Warnings) != 1 {
		t.Fatalf("report %+v", got)
	}
	tests := []struct {
		kind, figure, op, verdict string
		value                     *float64
		bound                     float64
	}{
		// A check that held.
		{"threshold", "sync.latency_ms.p99", "<", "pass", ptr(12.5), 50},
		// A percentage bound is a fraction.
		{"threshold", "sync.error_ratio", "<=", "fail", ptr(0.03), 0.01},
		// A check that failed for want of a value has no value.
		{"threshold", "chaos[*].recover_s", "<", "fail", nil, 30},
		// A baseline comparison: the rise in percent against the most allowed.
		{"baseline", "sync.latency_ms.p99", "<=", "fail", ptr(25.0), 10},
	}
	for i, want := range tests {
		c := got.Checks[i]
		if c.Kind != want.kind || c.Figure != want.figure || c.Op != want.op || c.Verdict != want.verdict || c.Bound != want.bound ||
			(c.Value == nil) != (want.value == nil) || (c.Value != nil && *c.Value != *want.value) || (c.Verdict == "fail") != (c.Why != "") {
			t.Errorf("check %d: %+v, want %+v", i, c, want)
		}
	}
}

func TestReportVerdict(t *testing.T) {
	held := []bundle.Threshold{{Expr: "sync.ok > 0", Value: 1, OK: true}}
	tests := []struct {
		checks []bundle.Threshold
		valid  bool
		want   string
	}{
		// Every check held on a valid run.
		{held, true, "pass"},
		// No checks at all pass.
		{nil, true, "pass"},
		// A failed check fails.
		{[]bundle.Threshold{{Expr: "sync.ok > 5", Value: 1}}, true, "fail"},
		// An invalid run is invalid, whatever its checks say.
		{held, false, "invalid"},
	}
	for _, tt := range tests {
		if r := NewReport(tt.checks, tt.valid, nil); r.Verdict != tt.want || r.Checks == nil || r.Warnings == nil {
			t.Errorf("%v valid=%v: %q (checks %v, warnings %v), want %q and empty lists, not null", tt.checks, tt.valid, r.Verdict, r.Checks, r.Warnings, tt.want)
		}
	}
}
