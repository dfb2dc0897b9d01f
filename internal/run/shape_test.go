package run

import (
	"reflect"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/profiles"
)

func mustParse(t *testing.T, src string) *profiles.Profile {
	t.Helper()
	p, err := profiles.Parse("test.yaml", []byte(src), ProfileChecks()...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustLoad(t *testing.T, name string) *profiles.Profile {
	t.Helper()
	p, err := profiles.Load(name, ProfileChecks()...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const twoSteps = "version: 1\nstages:\n  - {shape: constant, rate: 100, for: 1s}\n  - {shape: constant, rate: 200, for: 1s}\n"

func TestShape(t *testing.T) {
	plain := mustParse(t, twoSteps)
	looped := mustParse(t, twoSteps+"duration: 5s\n")
	cut := mustParse(t, twoSteps+"duration: 1s\n")
	every := mustParse(t, `version: 1
stages:
  - {shape: ramp, from: 0, to: 100, for: 10s}
  - {shape: step, from: 10, to: 30, steps: 3, for: 3s}
  - {shape: sine, base: 50, amplitude: 20, period: 4s, for: 4s}
  - {shape: burst, base: 1, peak: 9, width: 1s, period: 2s, for: 4s}
`)
	tests := []struct {
		name string
		p    *profiles.Profile
		at   time.Duration
		want float64
	}{
		// Stages play in order, each from its own start.
		{"first stage", plain, 500 * time.Millisecond, 100},
		{"second stage", plain, 1500 * time.Millisecond, 200},
		// After the stages there is no load when the duration is theirs.
		{"after stages", plain, 2500 * time.Millisecond, 0},
		// A duration longer than the stages loops them.
		{"looped first", looped, 2500 * time.Millisecond, 100},
		{"looped second", looped, 3500 * time.Millisecond, 200},
		// A shorter duration cuts the run; the shape itself is unchanged.
		{"cut", cut, 1500 * time.Millisecond, 200},
		// ramp: halfway at 5 s.
		{"ramp", every, 5 * time.Second, 50},
		// step: the second of three levels, 1 s into the stage starting at 10 s.
		{"step", every, 11500 * time.Millisecond, 20},
		// sine: peak a quarter period into the stage starting at 13 s.
		{"sine", every, 14 * time.Second, 70},
		// burst without jitter: on for the first second of each 2 s period.
		{"burst on", every, 17500 * time.Millisecond, 9},
		{"burst off", every, 18500 * time.Millisecond, 1},
	}
	for _, tt := range tests {
		if got := shapeOf(tt.p).Rate(tt.at); got != tt.want {
			t.Errorf("%s: Rate(%v) = %v, want %v", tt.name, tt.at, got, tt.want)
		}
	}
	if cut.Duration != time.Second || plain.Duration != 2*time.Second || plain.StagesTotal() != 2*time.Second {
		t.Errorf("durations: cut %v, plain %v (stages %v); want 1s, 2s (2s)", cut.Duration, plain.Duration, plain.StagesTotal())
	}
}

// twoBursts has two identical burst stages, jittered.
const twoBursts = `version: 1
stages:
  - {shape: burst, base: 1, peak: 9, width: 1s, period: 10s, jitter: 8s, for: 5m}
  - {shape: burst, base: 1, peak: 9, width: 1s, period: 10s, jitter: 8s, for: 5m}
`

// burstStarts lists when the rate jumps to peak, at 10 ms resolution.
func burstStarts(p *profiles.Profile) []time.Duration {
	shape := shapeOf(p)
	var starts []time.Duration
	prev := 0.0
	for t := time.Duration(0); t < p.Duration; t += 10 * time.Millisecond {
		r := shape.Rate(t)
		if r == 9 && prev != 9 {
			starts = append(starts, t)
		}
		prev = r
	}
	return starts
}

func TestBurstFollowsTheSeed(t *testing.T) {
	a, b, other := mustParse(t, twoBursts+"seed: 7\n"), mustParse(t, twoBursts+"seed: 7\n"), mustParse(t, twoBursts+"seed: 8\n")
	if !reflect.DeepEqual(burstStarts(a), burstStarts(b)) {
		t.Error("the same seed gave different bursts")
	}
	if reflect.DeepEqual(burstStarts(a), burstStarts(other)) {
		t.Error("seeds 7 and 8 gave the same bursts")
	}
	starts := burstStarts(a)
	half := len(starts) / 2
	shifted := make([]time.Duration, half)
	for i, s := range starts[half:] {
		shifted[i] = s - 5*time.Minute
	}
	if reflect.DeepEqual(starts[:half], shifted) {
		t.Error("two burst stages with the same settings burst alike")
	}
}

func TestSetConstantRateOffersThatRate(t *testing.T) {
	p := mustParse(t, twoSteps)
	p.Duration = 10 * time.Second
	p.SetConstantRate(42)
	if got := shapeOf(p).Rate(9 * time.Second); got != 42 {
		t.Errorf("Rate(9s) = %v, want 42", got)
	}
}

func TestBuiltinShapes(t *testing.T) {
	tests := []struct {
		name string
		at   time.Duration
		rate float64
	}{
		// steady: 1,000 req/s throughout its 30 s.
		{"steady", 15 * time.Second, 1000},
		// spike: 100 req/s baseline for the first 15 s of 90 s.
		{"spike", 5 * time.Second, 100},
		// spike: the first burst, 500 req/s from 15 s.
		{"spike", 16 * time.Second, 500},
		// spike: back to 100 req/s through the chaos.
		{"spike", 60 * time.Second, 100},
		// ramp: halfway up the 0 to 2,000 ramp at 30 s.
		{"ramp", 30 * time.Second, 1000},
		// ramp: holding 2,000 after the ramp.
		{"ramp", 75 * time.Second, 2000},
	}
	for _, tt := range tests {
		if got := shapeOf(mustLoad(t, tt.name)).Rate(tt.at); got != tt.rate {
			t.Errorf("%s: Rate(%v) = %v, want %v", tt.name, tt.at, got, tt.rate)
		}
	}
}

func TestSpikeBurstsTwiceForThreeSeconds(t *testing.T) {
	p := mustLoad(t, "spike")
	p.Seed = 1
	shape := shapeOf(p)
	var peak time.Duration
	for at := time.Duration(0); at < 90*time.Second; at += time.Millisecond {
		if shape.Rate(at) == 500 {
			peak += time.Millisecond
		}
	}
	if peak != 6*time.Second {
		t.Errorf("spike peaks for %v, want two 3 s bursts, 6s", peak)
	}
}

func TestShapeSurvivesTheYAMLRoundTrip(t *testing.T) {
	var tests []*profiles.Profile
	for _, name := range profiles.Builtins() {
		p := mustLoad(t, name)
		p.Seed = 1234 // a run-time seed is written out
		tests = append(tests, p)
	}
	bursts := mustParse(t, twoBursts+"seed: 7\n")
	tests = append(tests, bursts)
	for _, p := range tests {
		data, err := p.YAML()
		if err != nil {
			t.Fatalf("%s: YAML: %v", p.Name, err)
		}
		back, err := profiles.Parse(p.Source, data, ProfileChecks()...)
		if err != nil {
			t.Fatalf("%s: Parse(YAML()): %v\n%s", p.Name, err, data)
		}
		want, got := shapeOf(p), shapeOf(back)
		for at := time.Duration(0); at < p.Duration; at += 100 * time.Millisecond {
			if got.Rate(at) != want.Rate(at) {
				t.Fatalf("%s: Rate(%v) = %v after the round trip, want %v", p.Name, at, got.Rate(at), want.Rate(at))
			}
		}
	}
}
