package profiles

import (
	"errors"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The fuzz target's bounds for one small input.
const (
	fuzzMaxEcho  = 64 // bytes of the input a problem may repeat
	fuzzMaxTime  = 2 * time.Second
	fuzzMaxAlloc = 64 << 20 // bytes allocated while parsing and building the shape
)

// FuzzParse: Parse never panics and returns a profile or an *Error, never
// both or neither, in bounded time and memory. Every problem names the file
// and a line inside it and repeats at most a short piece of the input. A
// profile it accepts is within the bounds, offers load and writes back
// (YAML) to text that parses to the same profile. That its schedule starts
// at once is internal/run's FuzzProfileSchedule.
func FuzzParse(f *testing.F) {
	for _, name := range Builtins() {
		data, err := builtin.ReadFile(name + ".yaml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, src := range []string{broken, twoSteps, twoBursts, drillHead, triggered, mixed} {
		f.Add([]byte(src))
	}
	for _, tt := range rejected {
		f.Add([]byte(tt.src))
	}
	for _, tt := range syntaxErrors {
		f.Add([]byte(tt.src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		began := time.Now()
		p, err := Parse("fuzz.yaml", data)
		elapsed := time.Since(began)
		runtime.ReadMemStats(&after)
		if elapsed > fuzzMaxTime || after.TotalAlloc-before.TotalAlloc > fuzzMaxAlloc {
			t.Fatalf("%d bytes took %v and %d bytes of memory", len(data), elapsed, after.TotalAlloc-before.TotalAlloc)
		}
		if (p == nil) == (err == nil) {
			t.Fatalf("Parse returned profile %v and error %v: want exactly one", p, err)
		}
		if err != nil {
			checkProblems(t, data, err)
			return
		}
		checkAccepted(t, p)
	})
}

func checkProblems(t *testing.T, data []byte, err error) {
	var perr *Error
	if !errors.As(err, &perr) || len(perr.Problems) == 0 {
		t.Fatalf("error %v is a %T, want an *Error with problems", err, err)
	}
	lines := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if i += size; endsLine(r, data[i:]) {
			lines++
		}
	}
	for _, pr := range perr.Problems {
		if pr.File != "fuzz.yaml" || pr.Line < 1 || pr.Line > lines {
			t.Errorf("problem %q is not located in fuzz.yaml's %d lines", pr, lines)
		}
		if echo := longestEcho(data, pr.String()); len(echo) > fuzzMaxEcho {
			t.Errorf("problem %.100q... repeats %d bytes of the input", pr, len(echo))
		}
	}
}

func checkAccepted(t *testing.T, p *Profile) {
	if p.Duration <= 0 || p.Duration > MaxDuration || p.PeakRate() <= 0 || p.PeakRate() > 2*MaxRatePerSecond {
		t.Fatalf("accepted duration %v, peak rate %v: outside the bounds", p.Duration, p.PeakRate())
	}
	text, err := p.YAML()
	if err != nil {
		t.Fatalf("accepted profile does not write back: %v", err)
	}
	again, err := Parse("fuzz.yaml", text)
	if err != nil {
		t.Fatalf("accepted profile writes back to text that does not parse: %v\n%s", err, text)
	}
	if !reflect.DeepEqual(again, p) {
		t.Fatalf("accepted profile writes back to another:\n%+v\n%+v", p, again)
	}
}

// longestEcho finds a piece of data longer than fuzzMaxEcho bytes that
// problem repeats, or returns "".
func longestEcho(data []byte, problem string) string {
	for i := 0; i+fuzzMaxEcho < len(data); i++ {
		if piece := string(data[i : i+fuzzMaxEcho+1]); strings.Contains(problem, piece) {
			return piece
		}
	}
	return ""
}
