package gate

import (
	"bytes"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

func TestTable(t *testing.T) {
	checks, err := Check(summary(), []string{"sync.latency_ms.p99 < 100", "sync.latency_ms.p99 < 0.001", "chaos[*].recover_s < 30", "sync.error_ratio <= 0.1%"})
	if err != nil {
		t.Fatal(err)
	}
	checks = append(checks, bundle.Threshold{Expr: "sync.latency_ms.p99 regression <= 10%", Value: 12.345})
	var b bytes.Buffer
	if err := Table(&b, checks); err != nil {
		t.Fatal(err)
	}
	want := `RESULT  CHECK                                  VALUE
ok      sync.latency_ms.p99 < 100              78.5
FAIL    sync.latency_ms.p99 < 0.001            78.5    78.5 is not < 0.001
FAIL    chaos[*].recover_s < 30                -       no value: chaos[*].recover_s is null or absent
FAIL    sync.error_ratio <= 0.1%               0.01    0.01 is not <= 0.001
FAIL    sync.latency_ms.p99 regression <= 10%  +12.3%  sync.latency_ms.p99 is 12.3% above the baseline's (at most 10% allowed)
4 of 5 checks failed
`
	if b.String() != want {
		t.Errorf("Table:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestVerdict(t *testing.T) {
	tests := []struct {
		checks []bundle.Threshold
		want   string
	}{
		{nil, "no checks"}, // nothing checked
		{[]bundle.Threshold{{OK: true}}, "all 1 check passed"},       // singular
		{[]bundle.Threshold{{OK: true}, {}}, "1 of 2 checks failed"}, // a failure
	}
	for _, tt := range tests {
		if got := Verdict(tt.checks); got != tt.want {
			t.Errorf("Verdict(%+v) = %q, want %q", tt.checks, got, tt.want)
		}
	}
}
