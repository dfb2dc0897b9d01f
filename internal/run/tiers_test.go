package run

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/wire"
)

// fakeBackend answers GET /stats with the counts the test sets.
type fakeBackend struct {
	mu sync.Mutex
	s  wire.TierStats
}

func (f *fakeBackend) set(requests, failed int64, ownMS ...int) {
	s := wire.TierStats{Requests: requests, Failed: failed, OwnNS: make([]int64, len(wire.ServiceBoundsNS)+1)}
	for _, ms := range ownMS {
		s.OwnNS[wire.ServiceBucket(time.Duration(ms)*time.Millisecond)]++
	}
	f.mu.Lock()
	f.s = s
	f.mu.Unlock()
}

func (f *fakeBackend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	json.NewEncoder(w).Encode(f.s) // a failed write is the test's failed read
}

func startFake(t *testing.T) (*fakeBackend, string) {
	f := &fakeBackend{}
	f.set(0, 0)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, strings.TrimPrefix(srv.URL, "http://")
}

func TestTierWatchCountsARestartedBackendsWorkOnTopOfWhatItHadDone(t *testing.T) {
	front, frontAddr := startFake(t)
	deep, deepAddr := startFake(t)
	front.set(5, 0) // before the run: the base, not the run's
	start := time.Now()
	w := &tierWatch{client: &http.Client{Timeout: 5 * time.Second}, tiers: [][]string{{frontAddr}, {deepAddr}}, start: start,
		last: make([][]wire.TierStats, 2), total: make([][]wire.TierStats, 2)}
	for i := range w.last {
		w.last[i], w.total[i] = make([]wire.TierStats, 1), make([]wire.TierStats, 1)
	}
	w.read(t.Context(), start)

	front.set(105, 0)
	deep.set(100, 10)
	w.read(t.Context(), start.Add(time.Second))
	// The deep backend was killed and restarted: it counts from 0 again.
	front.set(205, 0)
	deep.set(90, 0)
	w.read(t.Context(), start.Add(2*time.Second))
	// After the window: not counted.
	front.set(1000, 500)
	w.read(t.Context(), start.Add(3*time.Second))

	c := w.chain(2.5, chainEdge{sent: 200, ok: 190, p50: 21, p99: 30})
	if got := c.Tiers[0]; got.Requests != 200 || got.SuccessRatio != 1 {
		t.Errorf("front: %+v; want 200 requests, none failed", got)
	}
	if got := c.Tiers[1]; got.Requests != 190 || got.Failed != 10 {
		t.Errorf("deep: %+v; want 100 + 90 requests after its restart, 10 failed", got)
	}
	if want := 180.0 / 190; c.PredictedAvailability != round(want, 6) {
		t.Errorf("predicted %v, want 1 x 180/190", c.PredictedAvailability)
	}
	if c.MeasuredAvailability != 0.95 || c.AvailabilityGap != round(0.95-180.0/190, 6) {
		t.Errorf("measured %v, gap %v; want 0.95 and its distance from the prediction", c.MeasuredAvailability, c.AvailabilityGap)
	}
}

func TestChainLatencyIsTheSumOfTheTiersOwn(t *testing.T) {
	front, frontAddr := startFake(t)
	deep, deepAddr := startFake(t)
	start := time.Now()
	w := &tierWatch{client: &http.Client{Timeout: 5 * time.Second}, tiers: [][]string{{frontAddr}, {deepAddr}}, start: start,
		last: [][]wire.TierStats{make([]wire.TierStats, 1), make([]wire.TierStats, 1)}, total: [][]wire.TierStats{make([]wire.TierStats, 1), make([]wire.TierStats, 1)}}
	w.read(t.Context(), start)
	front.set(2, 0, 5, 5)
	deep.set(2, 0, 15, 15)
	w.read(t.Context(), start.Add(time.Second))
	c := w.chain(10, chainEdge{sent: 2, ok: 2, p50: 22, p99: 22})
	// The buckets are 5% wide: each tier's p50 is within 5% of its time.
	if p := c.PredictedLatencyMS.P50; p < 19 || p > 20.01 {
		t.Errorf("predicted p50 %v ms, want about 5 + 15", p)
	}
	if c.LatencyErrorRatio == nil || *c.LatencyErrorRatio < 0.09 || *c.LatencyErrorRatio > 0.16 {
		t.Errorf("latency error %v, want |22 - ~20| / ~20", c.LatencyErrorRatio)
	}
}

func TestTierStatsAreParsedStrictly(t *testing.T) {
	buckets := strings.Repeat("0,", len(wire.ServiceBoundsNS)) + "0"
	good := `{"requests":3,"failed":1,"busy":1,"own_ns_buckets":[` + buckets + `]}`
	if s, err := decodeTierStats(strings.NewReader(good)); err != nil || s.Requests != 3 {
		t.Fatalf("good counts: %+v, %v", s, err)
	}
	for name, body := range map[string]string{
		"an unknown field":       `{"requests":3,"secret":"x","own_ns_buckets":[` + buckets + `]}`,
		"too few buckets":        `{"requests":3,"own_ns_buckets":[0,1]}`,
		"more failed than asked": `{"requests":1,"failed":2,"own_ns_buckets":[` + buckets + `]}`,
		"a negative count":       `{"requests":1,"own_ns_buckets":[-1,` + buckets[2:] + `]}`,
		"two objects":            good + good,
		"too long":               good + strings.Repeat(" ", wire.MaxTierStatsBytes),
	} {
		if _, err := decodeTierStats(strings.NewReader(body)); err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the error %q repeats the input", name, err)
		}
	}
}

func TestBucketQuantileInterpolatesWithinItsBucket(t *testing.T) {
	counts := make([]int64, len(wire.ServiceBoundsNS)+1)
	if q := bucketQuantile(counts, 0.5); q != 0 {
		t.Errorf("no counts: %v, want 0", q)
	}
	counts[wire.ServiceBucket(10*time.Millisecond)] = 99
	counts[len(counts)-1] = 1 // beyond the highest bound
	if q := bucketQuantile(counts, 0.5); q < 9.5 || q > 10.5 {
		t.Errorf("p50 %v ms, want within 5%% of 10", q)
	}
	if q := bucketQuantile(counts, 0.999); q != float64(wire.ServiceBoundsNS[len(wire.ServiceBoundsNS)-1])/1e6 {
		t.Errorf("p99.9 %v ms, want the highest bound", q)
	}
}

// TestALongRunKeepsABoundedNumberOfTierSamples: thinning keeps the base
// and the latest sample, in order, and at most half of the rest.
func TestALongRunKeepsABoundedNumberOfTierSamples(t *testing.T) {
	var samples []tierSample
	for s := range maxTierSamples * 5 {
		samples = append(samples, tierSample{ts: float64(s)})
		if len(samples) > maxTierSamples {
			samples = thinSamples(samples)
		}
	}
	if len(samples) > maxTierSamples {
		t.Fatalf("%d samples kept, want at most %d", len(samples), maxTierSamples)
	}
	if first, last := samples[0].ts, samples[len(samples)-1].ts; first != 0 || last != float64(maxTierSamples*5-1) {
		t.Fatalf("samples from %v to %v s, want the base (0) and the latest (%d)", first, last, maxTierSamples*5-1)
	}
	for i := 1; i < len(samples); i++ {
		if samples[i].ts <= samples[i-1].ts {
			t.Fatalf("sample %d at %v s after one at %v s", i, samples[i].ts, samples[i-1].ts)
		}
	}
}
