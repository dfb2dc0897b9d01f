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

// twoBursts has two identical burst stages, jittered.
const twoBursts = `version: 1
stages:
  - {shape: burst, base: 1, peak: 9, width: 1s, period: 10s, jitter: 8s, for: 5m}
  - {shape: burst, base: 1, peak: 9, width: 1s, period: 10s, jitter: 8s, for: 5m}
`

func TestSetConstantRate(t *testing.T) {
	p := mustParse(t, twoSteps)
	p.Duration = 10 * time.Second
	p.SetConstantRate(42)
	if len(p.Stages) != 1 || p.Stages[0] != (Stage{Shape: "constant", Rate: 42, For: 10 * time.Second}) {
		t.Errorf("stages %+v, want one constant stage of 42 req/s for 10s", p.Stages)
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
  headers: {X-A: "1", X-B: two, Authorization: {env: API_TOKEN}, X-Key: {file: /run/secrets/key}}
  body: '{"id":"{{id}}","n":{{seq}},"u":"{{uuid}}","t":"{{now}}","r":{{randint 1 6}},"user":"{{data.user_id}}"}'
  data: {file: users.csv, order: random}
  timeout: 2s
  tls: {ca: ca.pem, cert: c.pem, key: k.pem, insecure: true, server_name: svc.test}
kafka: {topic: other, key: none, value_bytes: 0, acks: one, timeout: 3s, tls: true, ca_file: ca.pem, cert_file: c.pem, key_file: k.pem,
  sasl: plain, username: u, client_id: me}
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
	}
}

// TestDataFileShortFormTakesTheDefaultOrder: `data: FILE` is the file in
// sequential order, as the long form without an order.
func TestDataFileShortFormTakesTheDefaultOrder(t *testing.T) {
	for _, src := range []string{"http: {data: users.csv}\n", "http: {data: {file: users.csv}}\n"} {
		p := mustParse(t, "version: 1\n"+twoSteps[len("version: 1\n"):]+src)
		if p.HTTP.Data == nil || *p.HTTP.Data != (DataFile{File: "users.csv", Order: "sequential"}) {
			t.Errorf("%q: data %+v, want users.csv in sequential order", src, p.HTTP.Data)
		}
	}
	if p := mustParse(t, twoSteps); p.HTTP.Data != nil {
		t.Errorf("no data: %+v, want nil", p.HTTP.Data)
	}
}
