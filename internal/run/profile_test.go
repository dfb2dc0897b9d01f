package run

import (
	"errors"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/profiles"
)

const drillHead = `version: 1
stages: [{shape: constant, rate: 10, for: 60s}]
`

// problemsOf parses src with the run's checks and returns its problems.
func problemsOf(t *testing.T, src string) []profiles.Problem {
	t.Helper()
	p, err := profiles.Parse("test.yaml", []byte(src), ProfileChecks()...)
	var perr *profiles.Error
	if !errors.As(err, &perr) {
		t.Fatalf("Parse = %+v, %v; want an *Error", p, err)
	}
	return perr.Problems
}

func TestThresholdsAreParsedWithTheProfile(t *testing.T) {
	got := problemsOf(t, drillHead+`thresholds:
  - sync.latency_ms.p99 < 50
  - sync.latency_ms.p99 < < 5
  - sync.latncy_ms.p99 < 5
`)
	if len(got) != 2 || got[0].Line != 5 || got[1].Line != 6 || !strings.Contains(got[0].Message, "expected a number") {
		t.Fatalf("problems %v: want lines 5 and 6, the first naming the column", got)
	}
	p := mustParse(t, drillHead+"thresholds: [async.lost == 0]\n")
	if len(p.Thresholds) != 1 || p.Thresholds[0] != "async.lost == 0" {
		t.Fatalf("thresholds %q", p.Thresholds)
	}
}

func TestServiceTimesAreParsedWithTheProfile(t *testing.T) {
	got := problemsOf(t, drillHead+`environment:
  work: {service: "gamma:5ms", concurrency: 0}
  backends: 0
`)
	want := []string{
		`test.yaml:4: environment.work.service: `,
		`test.yaml:4: environment.work.concurrency: must be at least 1`,
		`test.yaml:5: environment.backends: must be at least 1`,
	}
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%v", len(got), len(want), got)
	}
	for i := range want {
		if !strings.HasPrefix(got[i].String(), want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
	}
}

func TestAClaimsFiguresAreParsedWithTheProfile(t *testing.T) {
	got := problemsOf(t, drillHead+"claim: \"{async.lost} lost, {async.lots} of them\"\n")
	if len(got) != 1 || got[0].Line != 3 || got[0].Field != "claim" || !strings.Contains(got[0].Message, "async.lots") {
		t.Fatalf("problems %v: want the claim's line, naming the unknown figure", got)
	}
	if p := mustParse(t, drillHead+"claim: \"{async.lost} lost\"\n"); p.Claim != "{async.lost} lost" {
		t.Fatalf("claim %q", p.Claim)
	}
}
