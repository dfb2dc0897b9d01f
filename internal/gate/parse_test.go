package gate

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want string // Expr.String()
	}{
		{"sync.latency_ms.p99 < 50", "sync.latency_ms.p99 < 50"},                                           // the plain case
		{"  async.lost==0 ", "async.lost == 0"},                                                            // spaces are optional around the operator
		{"phases.fault.async.e2e_latency_ms.p99 < 15000", "phases.fault.async.e2e_latency_ms.p99 < 15000"}, // map key, then nested pointer structs
		{"async.groups.email.lost == 0", "async.groups.email.lost == 0"},                                   // a consumer group by name
		{"chaos[*].recover_s < 30", "chaos[*].recover_s < 30"},                                             // every element of a list
		{"chaos[0].detect_s <= 2.5", "chaos[0].detect_s <= 2.5"},                                           // one element
		{"async.groups[*].max_lag < 1e4", "async.groups[*].max_lag < 10000"},                               // [*] over a map; exponent
		{"sync.error_ratio <= 1%", "sync.error_ratio <= 0.01"},                                             // a derived figure; a percentage
		{"sync.error_classes.5xx != -1", "sync.error_classes.5xx != -1"},                                   // a map key of digits; a signed number
		{"run.valid >= 1", "run.valid >= 1"},                                                               // a boolean
		{"phases.fault.sync.rate > .5", "phases.fault.sync.rate > 0.5"},                                    // a derived figure of a phase; leading dot
	}
	for _, tt := range tests {
		e, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := e.String(); got != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		// the example of the documentation: a second operator where the number goes
		{"sync.latency_ms.p99 < < 5", `threshold "sync.latency_ms.p99 < < 5": at column 22: expected a number`},
		// nothing at all
		{"", `threshold "": at column 1: expected a path such as sync.latency_ms.p99`},
		// an unknown top-level name points at its start
		{"sink.lost == 0", `threshold "sink.lost == 0": at column 1: the summary has no field "sink" (it has schema, run, sync, async, phases, chaos, thresholds)`},
		// a typo deeper in the path points at the misspelled name
		{"sync.latncy_ms.p99 < 5", `threshold "sync.latncy_ms.p99 < 5": at column 6: sync has no field "latncy_ms" (it has sent, ok, errors, error_classes, latency_ms, service_ms, in_flight_at_end, schedule, requests, chain, error_ratio, rate, offered_rate, late_ratio, dropped_ratio)`},
		// a path that ends on an object
		{"sync.latency_ms < 5", `threshold "sync.latency_ms < 5": at column 16: sync.latency_ms is not a number: name one of its fields (p50, p90, p99, p999, max, mean)`},
		// a list named without an index
		{"chaos.recover_s < 5", `threshold "chaos.recover_s < 5": at column 7: chaos is a list: write chaos[0] or chaos[*]`},
		// a string field
		{"run.id == 1", `threshold "run.id == 1": at column 7: run.id is not a number`},
		// a single = is not an operator
		{"async.lost = 0", `threshold "async.lost = 0": at column 11: expected an operator (< <= > >= == !=): use == to compare`},
		// no operator at all
		{"async.lost", `threshold "async.lost": at column 11: expected an operator (< <= > >= == !=)`},
		// junk after the number
		{"async.lost == 0 ms", `threshold "async.lost == 0 ms": at column 16: unexpected "ms" after the number`},
		// a malformed index
		{"chaos[x].t_s < 1", `threshold "chaos[x].t_s < 1": at column 7: expected an index or * and then ]`},
		// an index on something that is not a list
		{"sync[0].ok < 1", `threshold "sync[0].ok < 1": at column 6: sync is not a list: it cannot be indexed`},
		// a field under a number
		{"async.lost.x < 1", `threshold "async.lost.x < 1": at column 12: async.lost is a number: it has no field "x"`},
		// a number that is not one
		{"async.lost < 1e", `threshold "async.lost < 1e": at column 13: expected a number`},
		// a dot with no name after it
		{"sync. < 1", `threshold "sync. < 1": at column 6: expected a name after "."`},
		// a phase a run is never cut into: a typo, not a phase the run lacked
		{"phases.nosuch.sync.ok > 0", `threshold "phases.nosuch.sync.ok > 0": at column 8: phases has no key "nosuch" (it has baseline, fault, recovery)`},
		// an error class a bundle never counts: a typo, not a class the run did not see
		{"sync.error_classes.5xxx < 1", `threshold "sync.error_classes.5xxx < 1": at column 20: sync.error_classes has no key "5xxx" (it has refused, reset, timeout, tls, 4xx, 5xx, broker, other)`},
		{"phases.fault.async.error_classes.ok == 0", `threshold "phases.fault.async.error_classes.ok == 0": at column 34: phases.fault.async.error_classes has no key "ok" (it has refused, reset, timeout, tls, 4xx, 5xx, broker, other)`},
		// a long expression is quoted in part, and so is a long name in it
		{"sync." + strings.Repeat("x", 100) + " < 1", `threshold "sync.` + strings.Repeat("x", 59) + `"...: at column 6: sync has no field "` + strings.Repeat("x", 64) + `"... (it has sent, ok, errors, error_classes, latency_ms, service_ms, in_flight_at_end, schedule, requests, chain, error_ratio, rate, offered_rate, late_ratio, dropped_ratio)`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, want a *ParseError", tt.in, err)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Parse(%q):\n got %s\nwant %s", tt.in, err, tt.want)
		}
	}
}
