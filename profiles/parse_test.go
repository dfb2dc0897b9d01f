package profiles

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// problemsOf parses src and returns its problems, failing if it parsed.
func problemsOf(t *testing.T, src string) []Problem {
	t.Helper()
	p, err := Parse("test.yaml", []byte(src))
	if err == nil {
		t.Fatalf("parsed without error: %+v", p)
	}
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("error %v is a %T, want *Error", err, err)
	}
	return perr.Problems
}

// broken has one or more problems on most lines; the test checks each line.
// located is a problem a test expects: its line, its field, and a piece
// of its message.
type located struct {
	line  int
	field string
	msg   string
}

// wantLocated fails unless got are the problems want, in order.
func wantLocated(t *testing.T, got []Problem, want []located) {
	t.Helper()
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("missing problem: line %d: %s: %s", want[i].line, want[i].field, want[i].msg)
		case i >= len(want):
			t.Errorf("unexpected problem: %s", got[i])
		case got[i].Line != want[i].line || got[i].Field != want[i].field || !strings.Contains(got[i].Message, want[i].msg):
			t.Errorf("problem %d = %s, want line %d: %s: ...%s...", i, got[i], want[i].line, want[i].field, want[i].msg)
		}
	}
}

// writtenBack is p as a run's bundle keeps it (profile.yaml), read again;
// the test fails if either step does.
func writtenBack(t *testing.T, p *Profile) *Profile {
	t.Helper()
	data, err := p.YAML()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(p.Source, data)
	if err != nil {
		t.Fatalf("profile.yaml does not parse: %v\n%s", err, data)
	}
	return back
}

const broken = `version: 2
name: broken
colour: blue
stages:
  - {shape: constant, rate: -5, for: 10s}
  - shape: ramp
    from: 100
    for: 20x
  - {shape: burst, base: 100, peak: 1000, width: 2s, period: 10s, jitter: 9s, for: 60s}
  - {shape: square, rate: 1, for: 1s}
  - {shape: step, from: 1, to: 2, steps: 2.5, for: 1s, rate: 3}
http:
  method: post
  headers: {Content-Type: application/json, "Bad Name": x}
  body: '{"id":"{{uid}}"}'
kafka:
  acks: some
  value_bytes: "256"
limits:
  max_late_ratio: 2
  max_late_ratio: 3
targets: []
`

func TestParseReportsEveryProblemWithLineAndField(t *testing.T) {
	want := []located{
		{1, "version", "2 is not supported"},
		{3, "colour", "unknown field"},
		{5, "stages[0].rate", "must not be negative"},
		{6, "stages[1].to", "is required"}, // a missing key is reported where its stage starts
		{8, "stages[1].for", `"20x" is not a duration`},
		{9, "stages[2].jitter", "longer than period"},
		{10, "stages[3].shape", `"square" is not a shape`},
		{11, "stages[4].steps", `"2.5" is not an integer`},
		{11, "stages[4].rate", "unknown field"}, // rate belongs to constant, not step
		{13, "http.method", `"post" is not an HTTP method`},
		{14, "http.headers.Bad Name", "not a valid header name"},
		{15, "http.body", `unknown placeholder {{uid}}`},
		{17, "kafka.acks", `"some" is not all, one or none`},
		{18, "kafka.value_bytes", `"256" is not an integer`}, // a quoted number is a string
		{20, "limits.max_late_ratio", "not a fraction"},
		{21, "limits.max_late_ratio", "duplicate field (first at line 20)"},
		{22, "targets", "unknown field"}, // not defined yet
	}
	wantLocated(t, problemsOf(t, broken), want)
}

// oneStage is a valid stages list for cases about other keys.
const oneStage = "stages:\n  - {shape: constant, rate: 1, for: 1s}\n"

// rejected are profiles Parse must refuse, each with its first problem; the
// fuzz target starts from them too.
var rejected = []struct {
	name string
	src  string
	want string // the whole first problem, as printed
}{
	// A misspelt key is an error, never silently its default.
	{"unknown field", "version: 1\nduraton: 5s\n" + oneStage,
		"test.yaml:2: duraton: unknown field (known here: version, name, description, claim, seed, duration, stages, http, kafka, limits, environment, chaos, thresholds, lag_groups, lag_topic)"},
	// Durations are Go durations; the example from the style guide.
	{"bad duration", "version: 1\nstages:\n  - {shape: constant, rate: 1, for: 1s}\n  - {shape: constant, rate: 1, for: 20x}\n",
		`test.yaml:4: stages[1].for: "20x" is not a duration (like 250ms, 30s, 1m30s)`},
	// A bare number has no unit, so it is not a duration either.
	{"duration without unit", "version: 1\nduration: 30\n" + oneStage,
		`test.yaml:2: duration: "30" is not a duration (like 250ms, 30s, 1m30s)`},
	// Rates cannot be negative.
	{"negative rate", "version: 1\nstages:\n  - {shape: ramp, from: -1, to: 5, for: 1s}\n",
		"test.yaml:3: stages[0].from: must not be negative, got -1"},
	// A stage must last some time.
	{"zero for", "version: 1\nstages:\n  - {shape: constant, rate: 1, for: 0s}\n",
		"test.yaml:3: stages[0].for: must be positive, got 0s"},
	// A jittered burst must still end inside its period.
	{"jitter plus width past period", "version: 1\nstages:\n  - {shape: burst, base: 1, peak: 2, width: 4s, period: 10s, jitter: 7s, for: 1m}\n",
		"test.yaml:3: stages[0].jitter: 7s plus width 4s is longer than period 10s: a late burst would run into the next period"},
	// A burst cannot be wider than its period.
	{"width past period", "version: 1\nstages:\n  - {shape: burst, base: 1, peak: 2, width: 11s, period: 10s, for: 1m}\n",
		"test.yaml:3: stages[0].width: 11s is longer than period 10s"},
	// A burst goes up, not down.
	{"peak below base", "version: 1\nstages:\n  - {shape: burst, base: 5, peak: 2, width: 1s, period: 10s, for: 1m}\n",
		"test.yaml:3: stages[0].peak: 2 is below base 5"},
	// A step needs at least one step.
	{"zero steps", "version: 1\nstages:\n  - {shape: step, from: 1, to: 2, steps: 0, for: 1s}\n",
		"test.yaml:3: stages[0].steps: must be at least 1, got 0"},
	// Every field a shape takes is required.
	{"sine without period", "version: 1\nstages:\n  - {shape: sine, base: 1, amplitude: 1, for: 1s}\n",
		"test.yaml:3: stages[0].period: is required"},
	// Only version 1 exists.
	{"version 2", "version: 2\n" + oneStage, "test.yaml:1: version: 2 is not supported; this loadgen reads version 1"},
	// The version must be given, so a future version 2 file is never misread.
	{"no version", oneStage, "test.yaml:1: version: is required"},
	// A profile without stages offers nothing.
	{"no stages", "version: 1\n", "test.yaml:1: stages: is required"},
	// An empty list of stages is no better.
	{"empty stages", "version: 1\nstages: []\n", "test.yaml:2: stages: needs at least one stage"},
	// A NaN rate would poison every schedule computed from it.
	{"nan rate", "version: 1\nstages:\n  - {shape: constant, rate: .nan, for: 1s}\n",
		`test.yaml:3: stages[0].rate: ".nan" is not a number`},
	// A placeholder the driver does not know is a typo, not literal text.
	{"placeholder typo", "version: 1\n" + oneStage + "http: {body: '{\"a\":{\"b\":1},\"id\":\"{{ID}}\"}'}\n",
		`test.yaml:4: http.body: unknown placeholder {{ID}} (known: {{id}}, {{seq}}, {{uuid}}, {{now}}, {{randint A B}}, {{data.COLUMN}})`},
	// A column needs a data file to come from.
	{"data without a file", "version: 1\n" + oneStage + "http: {body: '{{data.user}}'}\n",
		`test.yaml:4: http.body: {{data.user}}: no data file: give http.data`},
	// randint's bounds are checked where the profile gives them.
	{"randint reversed", "version: 1\n" + oneStage + "http: {body: '{{randint 10 1}}'}\n",
		`test.yaml:4: http.body: {{randint 10 1}}: A is above B`},
	// A row order is one of three.
	{"data order", "version: 1\n" + oneStage + "http:\n  data: {file: users.csv, order: shuffle}\n",
		`test.yaml:5: http.data.order: "shuffle" is not sequential, random or once`},
	{"data file missing", "version: 1\n" + oneStage + "http:\n  data: {order: random}\n",
		`test.yaml:5: http.data.file: is required`},
	{"data empty", "version: 1\n" + oneStage + "http: {data: ''}\n",
		`test.yaml:4: http.data: must not be empty: a data file's path, or {file: PATH, order: ORDER}`},
	// A section must be a mapping.
	{"section not a mapping", "version: 1\n" + oneStage + "kafka: fast\n",
		`test.yaml:4: kafka: want a mapping of fields, got "fast"`},
	// An empty file lacks the required keys.
	{"empty file", "", "test.yaml:1: version: is required"},
	// A rate no process can offer is refused, not walked request by request.
	{"huge rate", "version: 1\nstages:\n  - {shape: constant, rate: 1e12, for: 1s}\n",
		"test.yaml:3: stages[0].rate: 1e+12 is above the most one process can offer, 10000000 req/s"},
	// A ramp's end counts as much as a constant rate.
	{"huge ramp", "version: 1\nstages:\n  - {shape: ramp, from: 1, to: 1e12, for: 1m}\n",
		"test.yaml:3: stages[0].to: 1e+12 is above the most one process can offer, 10000000 req/s"},
	// So does a sine's crest, base plus amplitude.
	{"huge sine", "version: 1\nstages:\n  - {shape: sine, base: 9e6, amplitude: 2e6, period: 1s, for: 1m}\n",
		"test.yaml:3: stages[0].amplitude: 2e+06 over base 9e+06 is above the most one process can offer, 10000000 req/s"},
	// A run of a hundred years is a typo.
	{"huge duration", "version: 1\nduration: 876000h\n" + oneStage,
		"test.yaml:2: duration: 876000h0m0s is longer than 720h (30 days)"},
	{"huge stage", "version: 1\nstages:\n  - {shape: constant, rate: 1, for: 876000h}\n",
		"test.yaml:3: stages[0].for: 876000h0m0s is longer than 720h (30 days)"},
	// Stages within the bound each may still add up past it.
	{"stages past the bound together", "version: 1\nstages:\n  - {shape: constant, rate: 1, for: 400h}\n  - {shape: constant, rate: 1, for: 400h}\n",
		"test.yaml:3: stages: together last longer than 720h (30 days)"},
	// A run with nothing to send is a mistake.
	{"nothing to send", "version: 1\nstages:\n  - {shape: constant, rate: 0, for: 1s}\n  - {shape: ramp, from: 0, to: 0, for: 1s}\n",
		"test.yaml:3: stages: every stage offers 0 req/s: the run would send nothing"},
	// Bytes that are not text are named with their line.
	{"not UTF-8", "version: 1\nname: \xff\n" + oneStage, "test.yaml:2: invalid YAML: not UTF-8 text"},
	{"control character", "version: 1\n" + oneStage + "name: a\x01b\n", "test.yaml:4: invalid YAML: control character U+0001"},
	// A syntax error on the first line has that line, although yaml.v3 omits it.
	{"first line", "\"", "test.yaml:1: invalid YAML: found unexpected end of stream"},
	// A header's secret comes from one place.
	{"header env and file", "version: 1\n" + oneStage + "http:\n  headers:\n    Authorization: {env: T, file: /t}\n",
		"test.yaml:6: http.headers.Authorization.file: give env or file, not both"},
	{"header from nowhere", "version: 1\n" + oneStage + "http:\n  headers:\n    Authorization: {}\n",
		"test.yaml:6: http.headers.Authorization.env: want env: VARIABLE or file: PATH, where the value is found at run time"},
	{"header from a bad variable name", "version: 1\n" + oneStage + "http:\n  headers:\n    Authorization: {env: 1-TOKEN}\n",
		`test.yaml:6: http.headers.Authorization.env: "1-TOKEN" is not an environment variable name (letters, digits, _)`},
	{"header from elsewhere", "version: 1\n" + oneStage + "http:\n  headers:\n    Authorization: {vault: x}\n",
		"test.yaml:6: http.headers.Authorization.env: want env: VARIABLE or file: PATH, where the value is found at run time"},
	// A client certificate needs its key.
	{"tls cert without key", "version: 1\n" + oneStage + "http:\n  tls:\n    cert: c.pem\n",
		"test.yaml:6: http.tls.cert: a client certificate needs both cert and key"},
	{"tls unknown field", "version: 1\n" + oneStage + "http:\n  tls: {ca_file: ca.pem}\n",
		"test.yaml:5: http.tls.ca_file: unknown field (known here: ca, cert, key, insecure, server_name)"},
	// A long value is named, not repeated in full.
	{"long value", "version: 1\n" + oneStage + "http: {method: " + strings.Repeat("x", 100) + "}\n",
		`test.yaml:4: http.method: "` + strings.Repeat("x", 40) + `…" is not an HTTP method (upper case, like POST)`},
}

func TestParseRejects(t *testing.T) {
	for _, tt := range rejected {
		got := problemsOf(t, tt.src)
		if got[0].String() != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got[0], tt.want)
		}
	}
}

// syntaxErrors are profiles that are not YAML, each with its one problem.
var syntaxErrors = []struct {
	name string
	src  string
	want string
}{
	// A key indented under a scalar: yaml.v3 names the offending line.
	{"bad indent", "version: 1\nname: a\n  bad: indent\n", "test.yaml:3: invalid YAML: mapping values are not allowed in this context"},
	// Tabs cannot indent YAML.
	{"tab", "version: 1\n\tname: x\n", "test.yaml:2: invalid YAML: found a tab character that violates indentation"},
}

func TestParseSyntaxErrorReportsItsLine(t *testing.T) {
	for _, tt := range syntaxErrors {
		got := problemsOf(t, tt.src)
		if len(got) != 1 || got[0].String() != tt.want {
			t.Errorf("%s: got %v, want [%s]", tt.name, got, tt.want)
		}
	}
}

func TestParseDefaults(t *testing.T) {
	p, err := Parse("dir/quiet.yaml", []byte("version: 1\nstages:\n  - {shape: constant, rate: 5, for: 2s}\n  - {shape: constant, rate: 5, for: 3s}\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Profile{
		Version:  1,
		Name:     "quiet", // from the file name
		Duration: 5 * time.Second,
		HTTP:     HTTP{Method: "GET", Timeout: 10 * time.Second},
		Kafka:    Kafka{Topic: "loadgen.jobs", Key: "id", ValueBytes: 256, Acks: "all", Timeout: 10 * time.Second},
		Limits:   Limits{MaxInFlight: 10000, LateAfter: 10 * time.Millisecond, MaxLateRatio: 0.01, MaxDroppedRatio: 0.001},
		Environment: Environment{Work: Work{Service: "lognormal:10ms,40ms", Concurrency: 4}, Backends: 2, BackendQueue: 50, Chain: 1,
			EdgeTimeout: 2 * time.Second, Partitions: 6, SessionTimeout: 6 * time.Second, Heartbeat: time.Second,
			Drain: time.Minute, Groups: []Group{{Name: "workers", Consumers: 2}}},
	}
	got := *p
	got.Stages, got.Source = nil, ""
	if !reflect.DeepEqual(got, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", got, want)
	}
}
