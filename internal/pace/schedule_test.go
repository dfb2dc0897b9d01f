package pace

import (
	"math"
	"testing"
	"time"
)

func offsets(shape Shape, end time.Duration) []time.Duration {
	var out []time.Duration
	s := NewSchedule(shape, end)
	for at, ok := s.Next(); ok; at, ok = s.Next() {
		out = append(out, at)
	}
	return out
}

func TestConstantScheduleIsEvenlySpacedFromZero(t *testing.T) {
	got := offsets(Constant{PerSecond: 1000}, 5*time.Second)
	if len(got) != 5000 {
		t.Fatalf("got %d requests, want 5000", len(got))
	}
	for i, at := range got {
		if want := time.Duration(i) * time.Millisecond; at != want {
			t.Fatalf("request %d at %v, want %v", i, at, want)
		}
	}
}

func TestScheduleCountsFollowTheIntegral(t *testing.T) {
	tests := []struct {
		name  string
		shape Shape
		end   time.Duration
		want  float64
	}{
		// A ramp 0 -> 1000 over 10 s owes the area of the triangle.
		{"ramp", Ramp{From: 0, To: 1000, Over: 10 * time.Second}, 10 * time.Second, 5000},
		// A full sine period averages to its base.
		{"sine", Sine{Base: 500, Amplitude: 400, Period: 2 * time.Second}, 10 * time.Second, 5000},
		// Bursts of 1 s at 1000 every 5 s over base 100: 2 * (1000 + 4*100).
		{"burst", NewBurstTrain(BurstTrain{Base: 100, Peak: 1000, Width: time.Second, Period: 5 * time.Second, Over: 10 * time.Second}), 10 * time.Second, 2800},
		// 20,000 req/s for 3 s.
		{"high rate", Constant{PerSecond: 20000}, 3 * time.Second, 60000},
	}
	for _, tt := range tests {
		got := float64(len(offsets(tt.shape, tt.end)))
		if math.Abs(got-tt.want) > 1 {
			t.Errorf("%s: %v requests, want %v ±1", tt.name, got, tt.want)
		}
	}
}

func TestScheduleFollowsRateChangesWithinOneStep(t *testing.T) {
	// 10 req/s for 1 s, then 1000 req/s: the first fast request comes right
	// after the change, not a slow interval later.
	got := offsets(Stages{{Constant{10}, time.Second}, {Constant{1000}, time.Second}}, 2*time.Second)
	if len(got) != 1010 {
		t.Fatalf("got %d requests, want 1010", len(got))
	}
	if first := got[10]; first < time.Second || first > time.Second+2*time.Millisecond {
		t.Fatalf("first request of the fast stage at %v, want within 2ms after 1s", first)
	}
}

func TestScheduleSkipsSilence(t *testing.T) {
	got := offsets(Stages{{Constant{0}, time.Second}, {Constant{100}, time.Second}}, 2*time.Second)
	if len(got) != 100 || got[0] < time.Second {
		t.Fatalf("got %d requests starting at %v, want 100 starting at 1s", len(got), got[0])
	}
}

func TestScheduleIsMonotonic(t *testing.T) {
	shape := NewBurstTrain(BurstTrain{Base: 50, Peak: 5000, Width: 300 * time.Millisecond, Period: time.Second,
		Jitter: 500 * time.Millisecond, Seed: 3, Over: 10 * time.Second})
	got := offsets(shape, 10*time.Second)
	for i := 1; i < len(got); i++ {
		if got[i] < got[i-1] {
			t.Fatalf("offset %d (%v) before offset %d (%v)", i, got[i], i-1, got[i-1])
		}
	}
}

func BenchmarkScheduleNext(b *testing.B) {
	s := NewSchedule(Constant{PerSecond: 20000}, time.Duration(math.MaxInt64))
	for b.Loop() {
		s.Next()
	}
}

func TestNextBeforeYieldsTheSameOffsetsInPieces(t *testing.T) {
	// Asked a little at a time, as the pacer does, the schedule gives the
	// offsets Next gives, each once, and holds back the one past its limit.
	shape := Stages{{Constant{0}, 300 * time.Millisecond}, {Constant{1000}, 200 * time.Millisecond}, {Ramp{0, 5000, time.Second}, time.Second}}
	want := offsets(shape, 1500*time.Millisecond)
	s := NewSchedule(shape, 1500*time.Millisecond)
	var got []time.Duration
	for limit := time.Duration(0); !s.Over(); limit += 7 * time.Millisecond {
		for at, ok := s.NextBefore(limit); ok; at, ok = s.NextBefore(limit) {
			if at >= limit {
				t.Fatalf("offset %v returned for limit %v", at, limit)
			}
			got = append(got, at)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d offsets in pieces, %d from Next", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("offset %d: %v in pieces, %v from Next", i, got[i], want[i])
		}
	}
}

func TestNextBeforeWalksNoFurtherThanItsLimit(t *testing.T) {
	// 30 days of silence, then traffic: asking for the first 20 ms costs
	// 20 ms of walking, not 30 days of it.
	calls := 0
	shape := countingShape{Stages{{Constant{0}, 30 * 24 * time.Hour}, {Constant{1}, time.Second}}, &calls}
	s := NewSchedule(shape, 30*24*time.Hour+time.Second)
	if _, ok := s.NextBefore(20 * time.Millisecond); ok || s.Over() {
		t.Fatal("an offset in the silence, or the schedule over")
	}
	if calls > 300 {
		t.Fatalf("the shape was sampled %d times for 20 ms, want about 200", calls)
	}
}

// countingShape counts how often its rate is asked for.
type countingShape struct {
	Shape
	calls *int
}

func (c countingShape) Rate(t time.Duration) float64 { *c.calls++; return c.Shape.Rate(t) }

func TestALongBurstTrainCostsNoMemory(t *testing.T) {
	// A jittered train of a burst every 2 us for 30 days: the old train drew
	// every offset up front (1.3e12 of them).
	b := NewBurstTrain(BurstTrain{Base: 1, Peak: 2, Width: time.Microsecond, Period: 2 * time.Microsecond,
		Jitter: time.Microsecond, Seed: 9, Over: 30 * 24 * time.Hour})
	if r := b.Rate(29 * 24 * time.Hour); r != 1 && r != 2 {
		t.Fatalf("rate %v, want base or peak", r)
	}
}
