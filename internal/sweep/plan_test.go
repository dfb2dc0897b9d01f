package sweep

import (
	"errors"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/profiles"
)

const base = `version: 1
stages:
  - {shape: constant, rate: 10, for: 5s}
  - {shape: constant, rate: 20, for: 5s}
environment:
  chain: 2
`

func baseOf(t *testing.T) Base {
	t.Helper()
	b, err := BaseOf("base.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEachPointIsTheProfileWithItsValuesSet(t *testing.T) {
	params := []Param{
		{Path: "environment.session_timeout", Values: []string{"6s", "30s"}}, // a key the file does not set
		{Path: "stages[1].rate", Values: []string{"5", "50"}},                // an item of a list
		{Path: "environment.chain", Values: []string{"4"}},                   // a key the file sets
	}
	b := baseOf(t)
	points, err := Plan(b, params)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Plan(b, params[2:])
	if err != nil {
		t.Fatal(err)
	}
	if e := again[0].Profile.Environment; e.SessionTimeout.String() != "6s" || again[0].Profile.Stages[1].Rate != 20 {
		t.Errorf("a second sweep of the same base got the first's values: session %v, rate %v", e.SessionTimeout, again[0].Profile.Stages[1].Rate)
	}
	if len(points) != 4 {
		t.Fatalf("%d points, want 2x2x1", len(points))
	}
	last := points[3]
	if strings.Join(last.Values, " ") != "30s 50 4" {
		t.Errorf("the grid's last point is %v, want the first setting varying slowest", last.Values)
	}
	e := last.Profile.Environment
	if e.SessionTimeout.String() != "30s" || e.Chain != 4 || last.Profile.Stages[1].Rate != 50 || last.Profile.Stages[0].Rate != 10 {
		t.Errorf("last point: session %v, chain %d, rates %v/%v; want 30s, 4, 10/50",
			e.SessionTimeout, e.Chain, last.Profile.Stages[0].Rate, last.Profile.Stages[1].Rate)
	}
	if first := points[0].Profile; first.Environment.SessionTimeout.String() != "6s" || first.Stages[1].Rate != 5 {
		t.Errorf("first point: a value of another point leaked into it: %+v", first.Environment)
	}
	if points[0].Profile.Name != "base" {
		t.Errorf("name %q, want the base profile's", points[0].Profile.Name)
	}
}

func TestABadPathOrValueIsRefusedNamingTheFlag(t *testing.T) {
	tests := []struct {
		vary string
		want string
	}{
		{"environment.sesion_timeout=6s", "unknown field"},
		{"environment.chain=0,6", "--vary environment.chain=0: environment.chain: must be from 1 to 5"},
		{"stages[5].rate=1", "stages has no item [5]"},
		{"stages.rate=1", "give an item of a list as stages[0]"},
		{"environment=1", "it is a mapping"},
		{"Stages.rate=1", "is not a field name"},
	}
	for _, tt := range tests {
		p, err := ParseVary(tt.vary)
		if err == nil {
			_, err = Plan(baseOf(t), []Param{p})
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.vary, err, tt.want)
		}
	}
}

func TestEveryBadValueIsReportedAtOnceAndAnUnknownPathOnce(t *testing.T) {
	_, err := Plan(baseOf(t), []Param{{Path: "environment.chain", Values: []string{"0", "2", "9"}}})
	if err == nil || !strings.Contains(err.Error(), "chain=0") || !strings.Contains(err.Error(), "chain=9") {
		t.Errorf("got %v, want both bad values", err)
	}
	_, err = Plan(baseOf(t), []Param{{Path: "environment.nope", Values: []string{"1", "2"}}})
	if err == nil || strings.Count(err.Error(), "unknown field") != 1 {
		t.Errorf("got %v, want the unknown path once", err)
	}
}

func TestAnInvalidBaseProfileIsReportedOnItsLine(t *testing.T) {
	_, err := BaseOf("bad.yaml", []byte("version: 1\nstages: []\n"))
	var invalid *profiles.Error
	if !errors.As(err, &invalid) || invalid.Problems[0].Line != 2 {
		t.Errorf("got %v, want a problem on line 2", err)
	}
}

func TestVaryAndGrid(t *testing.T) {
	tests := []struct {
		vary    string
		wantErr string
	}{
		{"environment.chain=1, 2,3", ""},
		{"environment.chain", "PATH=VALUE"},
		{"environment.chain=1,,2", "an empty value"},
		{"environment.chain=1,1", "given twice"},
		{"=1", "an empty path"},
	}
	for _, tt := range tests {
		_, err := ParseVary(tt.vary)
		if (err == nil) != (tt.wantErr == "") || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: got %v, want %q", tt.vary, err, tt.wantErr)
		}
	}
	many := make([]string, 40)
	for i := range many {
		many[i] = strings.Repeat("x", i+1)
	}
	if _, err := Grid([]Param{{Path: "a", Values: many}, {Path: "b", Values: many}}); err == nil {
		t.Error("a grid of 1,600 points was accepted")
	}
	if _, err := Grid([]Param{{Path: "a", Values: []string{"1"}}, {Path: "a", Values: []string{"2"}}}); err == nil {
		t.Error("a path varied twice was accepted")
	}
}

func TestTheBuiltinSweepsPlanOnTheEmbeddedDefault(t *testing.T) {
	if got := strings.Join(Builtins(), ","); got != "chain-depth,rebalance" {
		t.Fatalf("built-ins %s", got)
	}
	for _, name := range Builtins() {
		b, ok, err := LoadBuiltin(name)
		if err != nil || !ok {
			t.Fatalf("%s: %v, %v", name, ok, err)
		}
		points, err := Plan(b.Base, b.Params)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := ParseOutcomes(b.Outcomes); err != nil || len(b.Outcomes) == 0 {
			t.Errorf("%s: outcomes %v: %v", name, b.Outcomes, err)
		}
		// each point short, the whole sweep a few minutes (docs/design.md)
		var load float64
		for _, p := range points {
			load += p.Profile.Duration.Seconds()
		}
		if load > 180 {
			t.Errorf("%s: %d points of %.0f s of load in all, want at most 180 s", name, len(points), load)
		}
	}
	if _, ok, _ := LoadBuiltin("spike"); ok {
		t.Error("a profile's name is taken for a sweep")
	}
}
