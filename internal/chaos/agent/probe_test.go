package agent

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestHTTPProbe(t *testing.T) {
	var status atomic.Int64
	status.Store(http.StatusOK)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(int(status.Load())) }))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	p := HTTPProbe{URL: srv.URL}
	if err := p.Check(ctx); err != nil {
		t.Fatalf("200: %v", err)
	}
	status.Store(http.StatusServiceUnavailable)
	if err := p.Check(ctx); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("503: %v, want a failure", err)
	}
	srv.Close()
	if err := p.Check(ctx); err == nil {
		t.Fatal("a closed server passed")
	}
}

const timeline = `{"t_s":0,"path":"async","completed":100,"errors":0,"p99_ms":12}
{"t_s":0,"path":"sync","completed":100,"errors":2,"p99_ms":40}
{"t_s":1,"path":"async","completed":100,"errors":5,"p99_ms":300}
{"t_s":1,"path":"async.lag","group":"a","lag":10}
{"t_s":1,"path":"async.lag","group":"b","lag":700}
{"t_s":0.5,"event":"chaos","action":"kill"}
`

func TestMetricProbeReadsTheLatestSecond(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "20260101-000000")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "timeline.jsonl.partial"), []byte(timeline), 0o644)
	tests := []struct {
		expr, at string
		ok       bool
	}{
		// The latest async second has an accept p99 of 300 ms.
		{"async.accept_latency_ms.p99 < 500", dir, true},
		{"async.accept_latency_ms.p99 < 250", dir, false},
		// <= holds at the bound.
		{"async.accept_latency_ms.p99 <= 300", dir, true},
		// The reject ratio: 5 of 100, written as gate writes it.
		{"async.reject_ratio < 0.01", dir, false},
		{"async.reject_ratio <= 5%", dir, true},
		// Several groups in one second: the worst counts.
		{"async.max_lag < 500", dir, false},
		// A path without any second yet fails.
		{"async.e2e_latency_ms.p99 < 100", dir, false},
		// A results root: the run being written below it.
		{"sync.latency_ms.p99 < 50", filepath.Dir(dir), true},
		// The file itself.
		{"sync.errors <= 2", filepath.Join(dir, "timeline.jsonl.partial"), true},
		{"sync.errors == 0", filepath.Join(dir, "timeline.jsonl.partial"), false},
	}
	for _, tt := range tests {
		p, err := ParseMetric(tt.expr, tt.at)
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		if err := p.Check(t.Context()); (err == nil) != tt.ok {
			t.Errorf("%s on %s: %v, want ok=%v", tt.expr, tt.at, err, tt.ok)
		}
	}
	for _, bad := range []string{"async.p99 < 5", "async.p99_ms > 5", "queue.p99_ms < 5", "async.p99_ms < fast",
		// Gate's names, but a bound from below, or a figure no second has.
		"async.accept_latency_ms.p99 > 5", "sync.latency_ms.p999 < 5", "async.lost == 0"} {
		if _, err := ParseMetric(bad, dir); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
}
