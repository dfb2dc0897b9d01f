package pace

import (
	"testing"
	"time"
)

func TestShapeRates(t *testing.T) {
	burst := NewBurstTrain(BurstTrain{Base: 10, Peak: 100, Width: time.Second, Period: 5 * time.Second, Over: 20 * time.Second})
	tests := []struct {
		name  string
		shape Shape
		at    time.Duration
		want  float64
	}{
		// A constant is the same at any time.
		{"constant", Constant{PerSecond: 50}, 42 * time.Second, 50},
		// A ramp is halfway at half time, and holds its end value after.
		{"ramp halfway", Ramp{From: 100, To: 300, Over: 10 * time.Second}, 5 * time.Second, 200},
		{"ramp after end", Ramp{From: 100, To: 300, Over: 10 * time.Second}, 11 * time.Second, 300},
		// Four steps from 100 to 400 over 40 s: 100, 200, 300, 400, 10 s each.
		{"step first", Step{From: 100, To: 400, Steps: 4, Over: 40 * time.Second}, 9 * time.Second, 100},
		{"step second", Step{From: 100, To: 400, Steps: 4, Over: 40 * time.Second}, 10 * time.Second, 200},
		{"step last", Step{From: 100, To: 400, Steps: 4, Over: 40 * time.Second}, 39 * time.Second, 400},
		// A sine peaks a quarter period in and never goes below zero.
		{"sine peak", Sine{Base: 100, Amplitude: 50, Period: 4 * time.Second}, time.Second, 150},
		{"sine clipped", Sine{Base: 10, Amplitude: 50, Period: 4 * time.Second}, 3 * time.Second, 0},
		// Without jitter a burst starts each period and lasts its width.
		{"burst on", burst, 5*time.Second + 500*time.Millisecond, 100},
		{"burst off", burst, 6*time.Second + 500*time.Millisecond, 10},
		// Stages play in order; after the last they offer nothing.
		{"second stage", Stages{{Constant{1}, time.Second}, {Constant{2}, time.Second}}, 1500 * time.Millisecond, 2},
		{"after stages", Stages{{Constant{1}, time.Second}}, 2 * time.Second, 0},
		// A looped shape replays from its start.
		{"looped", Looped{Stages{{Constant{1}, time.Second}, {Constant{2}, time.Second}}, 2 * time.Second}, 4500 * time.Millisecond, 1},
	}
	for _, tt := range tests {
		if got := tt.shape.Rate(tt.at); got != tt.want {
			t.Errorf("%s: Rate(%v) = %v, want %v", tt.name, tt.at, got, tt.want)
		}
	}
}

func TestBurstTrainIsReproducibleFromItsSeed(t *testing.T) {
	train := func(seed uint64) *BurstTrain {
		return NewBurstTrain(BurstTrain{Base: 1, Peak: 9, Width: time.Second, Period: 10 * time.Second,
			Jitter: 5 * time.Second, Seed: seed, Over: time.Minute})
	}
	a, b, other := train(7), train(7), train(8)
	differs := false
	for t0 := time.Duration(0); t0 < time.Minute; t0 += 10 * time.Millisecond {
		if a.Rate(t0) != b.Rate(t0) {
			t.Fatalf("same seed, different rate at %v", t0)
		}
		differs = differs || a.Rate(t0) != other.Rate(t0)
	}
	if !differs {
		t.Fatal("seeds 7 and 8 gave the same burst train")
	}
}

func TestBurstTrainJitterStaysInsideItsPeriod(t *testing.T) {
	b := NewBurstTrain(BurstTrain{Base: 0, Peak: 1, Width: time.Second, Period: 10 * time.Second,
		Jitter: 3 * time.Second, Seed: 1, Over: 100 * time.Second})
	for period := 0; period < 10; period++ {
		var on time.Duration
		for t0 := time.Duration(0); t0 < 10*time.Second; t0 += time.Millisecond {
			at := time.Duration(period)*10*time.Second + t0
			if b.Rate(at) > 0 {
				on += time.Millisecond
				if t0 >= 4*time.Second {
					t.Fatalf("period %d: burst at %v, later than jitter plus width", period, t0)
				}
			}
		}
		if on != time.Second {
			t.Fatalf("period %d: burst lasted %v, want 1s", period, on)
		}
	}
}
