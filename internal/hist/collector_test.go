package hist

import (
	"context"
	"sync"
	"testing"
	"time"
)

// collect runs a Collector with 10 ms intervals, lets each worker function
// record into its own Recorder, and returns every emitted interval and the total.
func collect(t *testing.T, grace time.Duration, workers ...func(start time.Time, r *Recorder)) ([]*Interval, *Interval, int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var emitted []*Interval
	start := time.Now()
	c := NewCollector(start, Config{Width: 10 * time.Millisecond, Classes: 3, Grace: grace,
		Emit: func(iv *Interval) error { emitted = append(emitted, iv); return nil }})
	go c.Run(ctx)
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() {
			r := c.NewRecorder()
			w(start, r)
			r.Close()
		})
	}
	wg.Wait()
	total, misplaced, err := c.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return emitted, total, misplaced
}

func TestCollectorMergesWorkersPerInterval(t *testing.T) {
	record := func(start time.Time, r *Recorder) {
		for i := range 5 {
			r.Record(start.Add(time.Duration(i)*10*time.Millisecond+time.Millisecond), 0, time.Duration(i+1)*time.Millisecond, 0)
		}
		r.Record(start.Add(25*time.Millisecond), 2, 0, 0)
	}
	emitted, total, _ := collect(t, time.Second, record, record, record)
	if total.Latency.TotalCount() != 15 || total.Counts[0] != 15 || total.Counts[2] != 3 {
		t.Fatalf("total: %d latencies, counts %v; want 15 latencies, counts [15 0 3]", total.Latency.TotalCount(), total.Counts)
	}
	for i, iv := range emitted[:5] {
		if iv.Index != int64(i) || iv.Latency.TotalCount() != 3 {
			t.Fatalf("interval %d: index %d with %d latencies, want 3", i, iv.Index, iv.Latency.TotalCount())
		}
		if want := int64(i+1) * int64(time.Millisecond); !iv.Latency.ValuesAreEquivalent(iv.Latency.Max(), want) {
			t.Fatalf("interval %d: max %d, want %d", i, iv.Latency.Max(), want)
		}
	}
	if emitted[2].Counts[2] != 3 {
		t.Fatalf("interval 2 counts %v, want 3 of class 2", emitted[2].Counts)
	}
}

func TestCollectorEmitsEmptyIntervalsInOrder(t *testing.T) {
	emitted, _, _ := collect(t, time.Second, func(start time.Time, r *Recorder) {
		r.Record(start.Add(55*time.Millisecond), 0, time.Millisecond, 0)
	})
	if len(emitted) < 6 {
		t.Fatalf("emitted %d intervals, want at least 6", len(emitted))
	}
	for i, iv := range emitted {
		if iv.Index != int64(i) {
			t.Fatalf("emitted[%d] has index %d", i, iv.Index)
		}
		if want := int64(0); i != 5 && iv.Latency.TotalCount() != want {
			t.Fatalf("interval %d should be empty", i)
		}
	}
}

func TestBusyWorkerHandsOverAtTheBoundary(t *testing.T) {
	// A worker that keeps recording must hand its earlier intervals over as
	// the clock moves on, before it is closed.
	var handedBeforeClose bool
	collect(t, 10*time.Millisecond, func(start time.Time, r *Recorder) {
		deadline := time.Now().Add(2 * time.Second)
		for time.Now().Before(deadline) {
			r.Record(time.Now(), 0, time.Millisecond, time.Millisecond)
			if len(r.open) == 1 && r.open[0].index > 0 {
				handedBeforeClose = true
				return
			}
			time.Sleep(time.Millisecond)
		}
	})
	if !handedBeforeClose {
		t.Fatal("the recorder still held old intervals after the clock moved on")
	}
}

func TestLateHandOffIsCountedNotLost(t *testing.T) {
	// A part that arrives after its interval closed is in the total and
	// counted as misplaced.
	emitted, total, misplaced := collect(t, 10*time.Millisecond, func(start time.Time, r *Recorder) {
		r.Record(start.Add(time.Millisecond), 0, time.Millisecond, 0)
		time.Sleep(60 * time.Millisecond)
	})
	if total.Latency.TotalCount() != 1 || misplaced != 1 {
		t.Fatalf("total %d, misplaced %d; want 1 and 1", total.Latency.TotalCount(), misplaced)
	}
	if emitted[0].Latency.TotalCount() != 0 {
		t.Fatal("the closed interval was changed after it was emitted")
	}
}

func TestSummarizeInMilliseconds(t *testing.T) {
	h := New()
	for i := 1; i <= 1000; i++ {
		h.RecordValue(int64(i) * int64(time.Millisecond) / 10)
	}
	s := Summarize(h)
	if s.P50 < 49.9 || s.P50 > 50.1 || s.P99 < 98.9 || s.P99 > 99.1 || s.Max < 99.9 || s.Max > 100.1 {
		t.Fatalf("summary %+v, want p50 50 ms, p99 99 ms, max 100 ms", s)
	}
}

func BenchmarkRecorderRecord(b *testing.B) {
	c := NewCollector(time.Now(), Config{Classes: 2})
	r := c.NewRecorder()
	now := time.Now()
	i := 0
	for b.Loop() {
		i++
		r.Record(now, 0, time.Duration(500+i%1000)*time.Microsecond, time.Millisecond)
	}
}
