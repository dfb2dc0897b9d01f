package syncsvc

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/targets/work"
)

func TestBackendCountsItsOwnOutcomesApartFromTheNextTiers(t *testing.T) {
	ctx := testCtx(t)
	deep, _ := startBackend(ctx, t, BackendConfig{Model: work.Model{Service: fixed(time.Millisecond), FailureRate: 1}})
	front, _ := startBackend(ctx, t, BackendConfig{Model: work.Model{Service: fixed(20 * time.Millisecond)}, Next: "http://" + deep + "/work"})
	for range 3 {
		if status, _ := mustPost(t, front, "j"); status != 502 {
			t.Fatalf("through a next tier that always fails: %d, want 502", status)
		}
	}
	f, d := tierStatsOf(t, front), tierStatsOf(t, deep)
	if f.Requests != 3 || f.Failed != 0 || f.Busy != 0 {
		t.Errorf("front: %+v; want 3 requests, none failed by its own work", f)
	}
	if d.Requests != 3 || d.Failed != 3 {
		t.Errorf("deep: %+v; want 3 requests, 3 failed", d)
	}
	// The front's own time is its 20ms of work, not the wait for the deep tier.
	lo, hi := wire.ServiceBucket(20*time.Millisecond), wire.ServiceBucket(200*time.Millisecond)
	var within int64
	for i, n := range f.OwnNS {
		if i >= lo && i < hi {
			within += n
		}
	}
	if within != 3 {
		t.Errorf("front own-time buckets %v: want all 3 from 20ms up to 200ms", f.OwnNS)
	}
}

func TestBackendCountsARefusalAsBusy(t *testing.T) {
	ctx := testCtx(t)
	addr, stop := startBackend(ctx, t, BackendConfig{Model: work.Model{Service: fixed(time.Hour), Concurrency: 1}, Queue: 1})
	defer stop()
	for range 2 {
		go post(addr, "held", 5*time.Second) // the answer comes when the backend stops
	}
	deadline := time.Now().Add(5 * time.Second)
	for tierStatsOf(t, addr).Requests < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if status, _ := mustPost(t, addr, "third"); status != 503 {
		t.Fatalf("the third request: %d, want 503", status)
	}
	if s := tierStatsOf(t, addr); s.Requests != 3 || s.Busy != 1 {
		t.Errorf("%+v: want 3 requests, 1 busy", s)
	}
}

func tierStatsOf(t *testing.T, addr string) wire.TierStats {
	t.Helper()
	status, body, err := send("GET", "http://"+addr+wire.TierStatsPath, "s", 5*time.Second)
	if err != nil || status != 200 {
		t.Fatalf("GET %s: %d, %v", wire.TierStatsPath, status, err)
	}
	var s wire.TierStats
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatalf("GET %s: %v", wire.TierStatsPath, err)
	}
	if len(s.OwnNS) != len(wire.ServiceBoundsNS)+1 {
		t.Fatalf("%d own-time buckets, want %d", len(s.OwnNS), len(wire.ServiceBoundsNS)+1)
	}
	return s
}
