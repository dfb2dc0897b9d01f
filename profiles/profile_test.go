package profiles

import (
	"reflect"
	"testing"
	"time"
)

func mustParse(t *testing.T, src string) *Profile {
	t.Helper()
	p, err := Parse("test.yaml", []byte(src))
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
		p    *Profile
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
		if got := tt.p.Shape().Rate(tt.at); got != tt.want {
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
func burstStarts(p *Profile) []time.Duration {
	shape := p.Shape()
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

func TestSetConstantRate(t *testing.T) {
	p := mustParse(t, twoSteps)
	p.Duration = 10 * time.Second
	p.SetConstantRate(42)
	if got := p.Shape().Rate(9 * time.Second); got != 42 {
		t.Errorf("Rate(9s) = %v, want 42", got)
	}
	if p.StagesTotal() != 10*time.Second {
		t.Errorf("StagesTotal = %v, want the duration, 10s", p.StagesTotal())
	}
}

func TestYAMLRoundTrip(t *testing.T) {
	full := mustParse(t, `version: 1
name: full
description: every field set away from its default
seed: 18446744073709551615
duration: 2m
stages:
  - {shape: constant, rate: 1.5, for: 10s}
  - {shape: ramp, from: 0, to: 100, for: 20s}
  - {shape: step, from: 10, to: 50, steps: 4, for: 40s}
  - {shape: sine, base: 50, amplitude: 25, period: 7s, for: 14s}
  - {shape: burst, base: 1, peak: 9, width: 1s, period: 5s, jitter: 3s, for: 30s}
http:
  method: PUT
  path: /jobs
  headers: {X-A: "1", X-B: two}
  body: '{"id":"{{id}}","n":{{seq}}}'
  timeout: 2s
kafka: {topic: other, key: none, value_bytes: 0, acks: one, timeout: 3s}
limits: {max_in_flight: 5, late_after: 1ms, max_late_ratio: 0.5, max_dropped_ratio: 0}
environment:
  work: {service: "exp:5ms", concurrency: 2, failure_rate: 0.1}
  backends: 3
  chain: 2
  edge_timeout: 1s
  partitions: 4
  session_timeout: 7s
  heartbeat: 2s
  drain: 20s
  groups:
    - {name: email, consumers: 2}
    - {name: index, consumers: 1, work: {service: "fixed:1ms"}}
chaos:
  - {at: 10s, action: kill, target: consumers, group: email, count: 1, for: 5s}
  - {at: 20s, action: pause, target: backends, percent: 50, for: 3s}
  - {at: 30s, action: terminate, target: workers, all: true}
`)
	overridden := mustParse(t, twoSteps)
	overridden.Seed, overridden.Duration = 99, time.Minute
	overridden.SetConstantRate(7)

	tests := []struct {
		name string
		p    *Profile
	}{
		// Every field, every shape, survives the trip.
		{"full", full},
		// Overrides made after parsing are what gets written.
		{"overridden", overridden},
	}
	for _, name := range Builtins() {
		p, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		p.Seed = 1234
		// A built-in with a run-time seed survives the trip.
		tests = append(tests, struct {
			name string
			p    *Profile
		}{name, p})
	}
	for _, tt := range tests {
		data, err := tt.p.YAML()
		if err != nil {
			t.Fatalf("%s: YAML: %v", tt.name, err)
		}
		back, err := Parse(tt.p.Source, data)
		if err != nil {
			t.Fatalf("%s: Parse(YAML()): %v\n%s", tt.name, err, data)
		}
		if !reflect.DeepEqual(back, tt.p) {
			t.Errorf("%s: round trip changed the profile:\n got %+v\nwant %+v\n%s", tt.name, back, tt.p, data)
		}
		want, got := tt.p.Shape(), back.Shape()
		for at := time.Duration(0); at < tt.p.Duration; at += 100 * time.Millisecond {
			if got.Rate(at) != want.Rate(at) {
				t.Fatalf("%s: Rate(%v) = %v after the round trip, want %v", tt.name, at, got.Rate(at), want.Rate(at))
			}
		}
	}
}
