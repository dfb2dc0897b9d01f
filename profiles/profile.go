package profiles

import (
	"bytes"
	"fmt"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/loadchaos/loadgen/internal/wire"
)

// Profile is a validated load profile: the offered rate over time and how
// each request looks. Build one with Load or Parse, which apply the defaults
// stated on each field; the yaml tags are the schema's key names, used by YAML.
type Profile struct {
	Version     int    `yaml:"version"`               // schema version; always 1
	Name        string `yaml:"name"`                  // default: the file's base name without .yaml
	Description string `yaml:"description,omitempty"` // free text for people
	// Claim is what a scenario asserts of its run, with the figures that
	// bear it out in braces ("{async.lost} lost"): the reports write it with
	// the run's numbers (see package gate, RenderClaim).
	Claim string `yaml:"claim,omitempty"`

	// Seed drives every random choice (burst jitter, chaos targets, the
	// body's {{uuid}}, {{randint}} and random data rows). 0 means the run
	// picks one at start and writes it into the bundle's profile.yaml.
	Seed uint64 `yaml:"seed"`

	// Duration is how long the run offers load, at most MaxDuration;
	// default: StagesTotal. Longer
	// than the stages, they play again from the start; shorter, the run stops
	// part way through them.
	Duration time.Duration `yaml:"duration"`

	Stages []Stage `yaml:"stages"` // at least one, played in order
	HTTP   HTTP    `yaml:"http"`
	Kafka  Kafka   `yaml:"kafka"`
	Limits Limits  `yaml:"limits"`

	// Environment and Chaos describe the embedded drill, used when the run
	// is given no target of its own.
	Environment Environment  `yaml:"environment"`
	Chaos       []ChaosEvent `yaml:"chaos,omitempty"`

	// Thresholds are checked against the run's summary when it ends (see
	// package gate for the expressions): one that fails exits 99.
	Thresholds []string `yaml:"thresholds,omitempty"`

	// LagGroups are the user's own consumer groups whose lag the run
	// samples once a second on LagTopic, when it drives targets of the
	// user's own (--lag-group and --lag-topic override them). LagTopic
	// defaults to the topic loadgen produces to (--topic); with --async-url
	// loadgen cannot know it, so it must be given.
	LagGroups []string `yaml:"lag_groups,omitempty"`
	LagTopic  string   `yaml:"lag_topic,omitempty"`

	// Source is where the profile came from: a file path, or "builtin:spike".
	Source string `yaml:"-"`
}

// HTTP is how each request looks when loadgen drives HTTP targets
// (--sync-url, --async-url and the embedded environment).
type HTTP struct {
	Method string `yaml:"method"`         // default GET
	Path   string `yaml:"path,omitempty"` // appended to the target URL's path; default none
	// Headers are sent on every request besides the identity headers; a
	// secret's value may come from the environment or a file (HeaderValue).
	Headers map[string]HeaderValue `yaml:"headers,omitempty"`
	// Body is a template: sent as it is but for its placeholders, filled
	// in per request (see package placeholder). Default: empty.
	Body string `yaml:"body,omitempty"`
	// Data is a file of rows that the body's {{data.COLUMN}} take their
	// values from, one row per request. Default: none.
	Data    *DataFile     `yaml:"data,omitempty"`
	Timeout time.Duration `yaml:"timeout"` // per request; default 10s
	// TLS is how https targets are checked and told who loadgen is;
	// loadgen run's --ca, --cert, --key, --insecure and --server-name
	// override it. Default: the system's CAs, no client certificate.
	TLS wire.HTTPTLS `yaml:"tls,omitempty"`
	// Requests is a mix of requests: each request of the run is one of
	// them, drawn by weight from the seed and its place in the schedule, so
	// that a run with the same seed sends the same kinds in the same order.
	// Method, path, headers and body above are every item's defaults (see
	// Request). Default: none, every request is the one above.
	Requests []Request `yaml:"requests,omitempty"`
}

// IDPlaceholder is a body's placeholder for the request's id.
const IDPlaceholder = "{{id}}"

// DataFile is http.data: a CSV file with a header row, or JSON lines
// (.jsonl, .ndjson), read when the run starts (package dataset), and how
// each request's row is chosen. Written `data: users.csv` it takes the
// default order.
type DataFile struct {
	File  string `yaml:"file"`  // relative to the working directory
	Order string `yaml:"order"` // sequential, random or once; default sequential
}

// Kafka is how each message looks when loadgen produces directly (--topic);
// Key and EventsPerKey also key the jobs the embedded drill's async edge
// produces (the Loadgen-Key header).
type Kafka struct {
	Topic string `yaml:"topic"` // default loadgen.jobs
	// Key is "id" (the message id), "entity" (the request's entity: see
	// EventsPerKey) or "none"; default id.
	Key string `yaml:"key"`
	// EventsPerKey, with key entity, is how many events each entity has,
	// scheduled in order, KeySpacing requests apart: with spacing S, the
	// requests come in blocks of S entities, the first event of each, then
	// the second, ... (with S = 1, request k is event k mod N of entity
	// k / N). 1 to MaxEventsPerKey; 0 (the default) without key entity.
	EventsPerKey int `yaml:"events_per_key,omitempty"`
	// KeySpacing, with key entity, is how many requests apart an entity's
	// events are sent, 1 to MaxKeySpacing; default 1. Events closer than
	// the target's accept latency may overlap in flight and reach the
	// topic out of order.
	KeySpacing int           `yaml:"key_spacing,omitempty"`
	ValueBytes int           `yaml:"value_bytes"` // payload size, 0 to 1048576; default 256
	Acks       string        `yaml:"acks"`        // "all", "one" or "none"; default all
	Timeout    time.Duration `yaml:"timeout"`     // per produce; default 10s

	// How to reach a secured cluster (every Kafka path of the run). The
	// password is never in a profile: it comes from --kafka-password-file
	// or LOADGEN_KAFKA_PASSWORD. Command-line flags override these.
	wire.KafkaAuth `yaml:",inline"`
}

// Limits say when the generator counts itself behind schedule and marks the
// run invalid (exit 97) rather than report flattering numbers.
type Limits struct {
	MaxInFlight int `yaml:"max_in_flight"` // requests outstanding at once, >= 1; default 10000
	// LateAfter is how long after its intended time a request may leave
	// before it counts as late; default 10ms.
	LateAfter time.Duration `yaml:"late_after"`
	// MaxLateRatio is the fraction of late requests, 0 to 1, beyond which the
	// run is invalid; default 0.01.
	MaxLateRatio float64 `yaml:"max_late_ratio"`
	// MaxDroppedRatio is the fraction of requests dropped because
	// MaxInFlight was reached, 0 to 1, beyond which the run is invalid;
	// default 0.001.
	MaxDroppedRatio float64 `yaml:"max_dropped_ratio"`
}

// StagesTotal is the time the stages take once through.
func (p *Profile) StagesTotal() time.Duration {
	var total time.Duration
	for _, s := range p.Stages {
		total += s.For
	}
	return total
}

// PeakRate is the highest rate any stage offers, in requests per second:
// with Duration, a bound on how many requests the run schedules that needs
// no walk through the schedule.
func (p *Profile) PeakRate() float64 {
	var peak float64
	for _, s := range p.Stages {
		peak = max(peak, s.peak())
	}
	return peak
}

// SetConstantRate replaces the stages by one constant stage of perSecond
// (see CheckFlagRate) lasting Duration, for --rate R. Set Duration first.
func (p *Profile) SetConstantRate(perSecond float64) {
	p.Stages = []Stage{{Shape: "constant", Rate: perSecond, For: p.Duration}}
}

// YAML returns the profile as it will run, seed and overrides included, in
// the schema Parse reads: Parse(YAML()) gives back an equal profile. The run
// bundle keeps it as profile.yaml so a run can be repeated exactly.
func (p *Profile) YAML() ([]byte, error) {
	var b bytes.Buffer
	if p.Source != "" {
		fmt.Fprintf(&b, "# Profile %s as run, from %s.\n", p.Name, p.Source)
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("encode profile %s: %w", p.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode profile %s: %w", p.Name, err)
	}
	return b.Bytes(), nil
}

// InvalidReasons says why a path's schedule was not kept well enough for
// its figures to be trusted, by these limits: of scheduled requests, too
// many late (skipped) or dropped (at the in-flight cap).
func (l Limits) InvalidReasons(path string, scheduled, late, dropped int64) []string {
	if scheduled == 0 {
		return nil
	}
	var reasons []string
	if ratio := float64(late) / float64(scheduled); ratio > l.MaxLateRatio {
		reasons = append(reasons, fmt.Sprintf("%s: %d of %d requests (%.2f%%) skipped, later than %v (limit %.2f%%): the generator fell behind",
			path, late, scheduled, 100*ratio, l.LateAfter, 100*l.MaxLateRatio))
	}
	if ratio := float64(dropped) / float64(scheduled); ratio > l.MaxDroppedRatio {
		reasons = append(reasons, fmt.Sprintf("%s: %d of %d requests (%.2f%%) dropped at the in-flight cap of %d (limit %.2f%%)",
			path, dropped, scheduled, 100*ratio, l.MaxInFlight, 100*l.MaxDroppedRatio))
	}
	return reasons
}
