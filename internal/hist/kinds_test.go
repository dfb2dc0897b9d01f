package hist

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestCollectorKeepsEachKindApartAndInTheTotal: with kinds, each interval
// and the total hold every kind's outcomes apart as well as summed, and a
// kind no worker sent stays empty.
func TestCollectorKeepsEachKindApartAndInTheTotal(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var emitted []*Interval
	start := time.Now()
	c := NewCollector(start, Config{Width: 10 * time.Millisecond, Classes: 2, Kinds: 3, Grace: time.Second,
		Emit: func(iv *Interval) error { emitted = append(emitted, iv); return nil }})
	go c.Run(ctx)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			r := c.NewRecorder()
			at := start.Add(time.Millisecond)
			r.RecordKind(at, 0, 0, time.Millisecond, time.Millisecond)
			r.RecordKind(at, 0, 0, time.Millisecond, time.Millisecond)
			r.RecordKind(at, 1, 0, 50*time.Millisecond, time.Millisecond)
			r.RecordKind(at, 1, 1, 0, 0)
			r.Close()
		})
	}
	wg.Wait()
	total, _, err := c.Finish()
	if err != nil {
		t.Fatal(err)
	}
	for _, iv := range []*Interval{emitted[0], total} {
		if len(iv.Kinds) != 3 {
			t.Fatalf("interval %d has %d kinds, want 3", iv.Index, len(iv.Kinds))
		}
		k0, k1, k2 := iv.Kinds[0], iv.Kinds[1], iv.Kinds[2]
		switch {
		case iv.Counts[0] != 6 || iv.Counts[1] != 2 || iv.Latency.TotalCount() != 6:
			t.Errorf("interval %d: total counts %v, %d latencies; want [6 2], 6", iv.Index, iv.Counts, iv.Latency.TotalCount())
		case k0.Counts[0] != 4 || k0.Counts[1] != 0 || k0.Latency.TotalCount() != 4 || k0.Latency.Max() > int64(2*time.Millisecond):
			t.Errorf("interval %d: kind 0 counts %v, %d latencies up to %d ns; want [4 0], 4 of 1 ms", iv.Index, k0.Counts, k0.Latency.TotalCount(), k0.Latency.Max())
		case k1.Counts[0] != 2 || k1.Counts[1] != 2 || k1.Latency.TotalCount() != 2 || k1.Latency.Min() < int64(49*time.Millisecond):
			t.Errorf("interval %d: kind 1 counts %v, %d latencies from %d ns; want [2 2], 2 of 50 ms", iv.Index, k1.Counts, k1.Latency.TotalCount(), k1.Latency.Min())
		case k2.Counts[0]+k2.Counts[1] != 0 || k2.Latency.TotalCount() != 0:
			t.Errorf("interval %d: kind 2, never sent, counts %v", iv.Index, k2.Counts)
		}
	}
}

// TestCollectorWithoutKindsHasNone: one kind is the total alone.
func TestCollectorWithoutKindsHasNone(t *testing.T) {
	emitted, total, _ := collect(t, time.Second, func(start time.Time, r *Recorder) {
		r.Record(start.Add(time.Millisecond), 0, time.Millisecond, 0)
	})
	if total.Kinds != nil || emitted[0].Kinds != nil {
		t.Errorf("kinds %v and %v without a mix, want none", total.Kinds, emitted[0].Kinds)
	}
}
