package run

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/internal/wire"
)

// tierWatch reads the own outcomes of every backend of the embedded sync
// chain (wire.TierStats) when it starts and once a second after, and keeps
// each tier's running totals by time, so the chain's figures can be taken
// over any window. A killed and restarted backend counts from zero again:
// a count lower than the last read is a reset, and the new count is what
// was done since (as Prometheus treats a counter). What a backend did
// between its last read and its death is not counted.
type tierWatch struct {
	client *http.Client
	tiers  [][]string // backend addresses by tier, the front first
	start  time.Time

	mu      sync.Mutex
	last    [][]wire.TierStats // the last read of each backend
	total   [][]wire.TierStats // each backend's counts, resets added on
	samples []tierSample

	ticks *everySecond
}

// tierSample is every tier's totals at one time of the run.
type tierSample struct {
	ts    float64 // seconds since the start; negative before it
	tiers []wire.TierStats
}

// tierReadTimeout bounds one read of one backend.
const tierReadTimeout = 900 * time.Millisecond

// startTierWatch reads every backend once at once, the base the run's
// counts start from, then each second until finish. A failed read of a
// backend leaves its counts as they were. The first read is made in the
// watch's own goroutine: the run's start is already fixed, and a read on
// the caller's would eat into the time before it.
func startTierWatch(ctx context.Context, tiers [][]string, start time.Time) *tierWatch {
	w := &tierWatch{client: &http.Client{Timeout: tierReadTimeout}, tiers: tiers, start: start}
	for _, addrs := range tiers {
		w.last = append(w.last, make([]wire.TierStats, len(addrs)))
		w.total = append(w.total, make([]wire.TierStats, len(addrs)))
	}
	w.ticks = startEverySecond(ctx, true, w.read)
	return w
}

// read reads every backend at once and records the tiers' totals.
func (w *tierWatch) read(ctx context.Context, now time.Time) {
	type got struct {
		tier, i int
		s       wire.TierStats
	}
	var wg sync.WaitGroup
	results := make(chan got, 64)
	for t, addrs := range w.tiers {
		for i, addr := range addrs {
			wg.Go(func() {
				if s, err := readTierStats(ctx, w.client, addr); err == nil {
					results <- got{t, i, s}
				}
			})
		}
	}
	go func() { wg.Wait(); close(results) }()
	w.mu.Lock()
	defer w.mu.Unlock()
	for r := range results {
		w.total[r.tier][r.i] = accumulate(w.total[r.tier][r.i], w.last[r.tier][r.i], r.s)
		w.last[r.tier][r.i] = r.s
	}
	sample := tierSample{ts: now.Sub(w.start).Seconds(), tiers: make([]wire.TierStats, len(w.tiers))}
	for t := range w.total {
		for _, s := range w.total[t] {
			sample.tiers[t] = add(sample.tiers[t], s, 1)
		}
	}
	w.samples = append(w.samples, sample)
	if len(w.samples) > maxTierSamples {
		w.samples = thinSamples(w.samples)
	}
}

// maxTierSamples bounds what a long run keeps of its tiers' totals: a
// sample holds every tier's own-time buckets (about 2 KB a tier), so a
// day's seconds would take gigabytes.
const maxTierSamples = 2048

// thinSamples keeps every other sample, the first (the base every count
// starts from) and the last among them: the older part of a long run is
// kept a second apart, then two, then four, and a window's end lands on
// the sample at or before it, a little earlier.
func thinSamples(samples []tierSample) []tierSample {
	last := samples[len(samples)-1]
	kept := samples[:0]
	for i := 0; i < len(samples); i += 2 {
		kept = append(kept, samples[i])
	}
	if kept[len(kept)-1].ts != last.ts {
		kept = append(kept, last)
	}
	clear(samples[len(kept):])
	return kept
}

// finish stops reading and waits for the read under way.
func (w *tierWatch) finish() { w.ticks.finish() }

// readTierStats reads one backend's counts: a bounded body, parsed
// strictly; nothing of it is quoted in an error.
func readTierStats(ctx context.Context, client *http.Client, addr string) (wire.TierStats, error) {
	var s wire.TierStats
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+wire.TierStatsPath, nil)
	if err != nil {
		return s, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return s, fmt.Errorf("backend %s %s: status %d", addr, wire.TierStatsPath, resp.StatusCode)
	}
	return decodeTierStats(io.LimitReader(resp.Body, wire.MaxTierStatsBytes+1))
}

var errBadTierStats = errors.New("not a backend's counts")

// decodeTierStats parses one answer of GET wire.TierStatsPath.
func decodeTierStats(r io.Reader) (wire.TierStats, error) {
	var s wire.TierStats
	data, err := io.ReadAll(r)
	if err != nil {
		return s, err
	}
	if len(data) > wire.MaxTierStatsBytes {
		return s, fmt.Errorf("%w: longer than %d bytes", errBadTierStats, wire.MaxTierStatsBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, fmt.Errorf("%w: not JSON of its fields and types", errBadTierStats)
	}
	if dec.More() {
		return s, fmt.Errorf("%w: more after the object", errBadTierStats)
	}
	if len(s.OwnNS) != len(wire.ServiceBoundsNS)+1 {
		return s, fmt.Errorf("%w: %d own-time buckets, want %d", errBadTierStats, len(s.OwnNS), len(wire.ServiceBoundsNS)+1)
	}
	if s.Requests < 0 || s.Failed < 0 || s.Busy < 0 || s.Failed+s.Busy > s.Requests {
		return s, fmt.Errorf("%w: counts that do not add up", errBadTierStats)
	}
	for _, n := range s.OwnNS {
		if n < 0 {
			return s, fmt.Errorf("%w: a negative count", errBadTierStats)
		}
	}
	return s, nil
}

// accumulate adds to total what a backend did between its reads last and
// now: the difference, or all of now when a count went down (it restarted).
// The first read of a backend (last empty) is its base, not an increment:
// see tierWatch.
func accumulate(total, last, now wire.TierStats) wire.TierStats {
	if last.OwnNS == nil {
		return now
	}
	if restarted(last, now) {
		return add(total, now, 1)
	}
	return add(add(total, now, 1), last, -1)
}

// restarted reports whether any count went down between two reads.
func restarted(last, now wire.TierStats) bool {
	if now.Requests < last.Requests || now.Failed < last.Failed || now.Busy < last.Busy {
		return true
	}
	for i := range now.OwnNS {
		if now.OwnNS[i] < last.OwnNS[i] {
			return true
		}
	}
	return false
}

// add is a + sign*b, count by count.
func add(a, b wire.TierStats, sign int64) wire.TierStats {
	out := wire.TierStats{Requests: a.Requests + sign*b.Requests, Failed: a.Failed + sign*b.Failed, Busy: a.Busy + sign*b.Busy,
		OwnNS: make([]int64, len(wire.ServiceBoundsNS)+1)}
	for i := range out.OwnNS {
		if i < len(a.OwnNS) {
			out.OwnNS[i] += a.OwnNS[i]
		}
		if i < len(b.OwnNS) {
			out.OwnNS[i] += sign * b.OwnNS[i]
		}
	}
	return out
}
