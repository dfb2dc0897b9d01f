package gate

import (
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
)

func TestAClaimIsWrittenWithTheRunsFigures(t *testing.T) {
	lost := int64(0)
	s := &bundle.Summary{
		Sync:  &bundle.Sync{Sent: 200, Errors: 3, LatencyMS: hist.LatencyMS{P99: 12.25}},
		Async: &bundle.Async{Sent: 200, Rejected: 91, Lost: &lost},
	}
	got, err := RenderClaim("sync p99 {sync.latency_ms.p99} ms, {sync.error_ratio%} errors; async {async.reject_ratio%} rejected, {async.lost} lost, lag {async.max_lag}", s)
	want := "sync p99 12.25 ms, 1.5% errors; async 45.5% rejected, 0 lost, lag -"
	if err != nil || got != want {
		t.Errorf("got %q, %v\nwant %q", got, err, want)
	}
}

func TestAClaimsPlaceholdersAreCheckedAgainstTheSchema(t *testing.T) {
	for _, tt := range []struct{ claim, want string }{
		{"plain text", ""},
		{"{async.lost} lost", ""},
		{"{async.lots}", "async.lots"},
		{"{chaos[*].recover_s}", "no [*]"},
		{"{async.lost", "without its }"},
		{"async.lost}", "without its {"},
		{"{async.lost >= 0}", "unexpected"},
		{strings.Repeat("x", maxClaimBytes+1), "longer than"},
	} {
		err := CheckClaim(tt.claim)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%.40q: %v, want %q", tt.claim, err, tt.want)
		}
	}
}
