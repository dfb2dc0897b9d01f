package profiles

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// Stage is one piece of a profile: a rate shape played For a duration. Shape
// says which of the other fields apply:
//
//	constant  Rate
//	ramp      From, To            (linear over For)
//	step      From, To, Steps     (Steps equal levels over For)
//	sine      Base, Amplitude, Period
//	burst     Base, Peak, Width, Period, Jitter (Jitter optional, default 0)
//
// Rates are requests per second, from 0 to MaxRatePerSecond; durations are
// at most MaxDuration.
type Stage struct {
	Shape                                 string
	Rate, From, To, Base, Amplitude, Peak float64
	Steps                                 int
	For, Period, Width, Jitter            time.Duration
}

// shapeSpec is what one stage shape takes. The rate shape it stands for
// (package pace) is built where the run is assembled (internal/run).
type shapeSpec struct {
	required []string                            // keys besides shape and for
	optional []string                            // keys that may be left out (zero)
	check    func(f *yamlfields.Fields, s Stage) // checks across keys, if any
	peak     func(s Stage) float64               // the highest rate the stage offers
}

var shapes = map[string]shapeSpec{
	"constant": {
		required: []string{"rate"},
		peak:     func(s Stage) float64 { return s.Rate },
	},
	"ramp": {
		required: []string{"from", "to"},
		peak:     func(s Stage) float64 { return max(s.From, s.To) },
	},
	"step": {
		required: []string{"from", "to", "steps"},
		peak:     func(s Stage) float64 { return max(s.From, s.To) },
	},
	"sine": {
		required: []string{"base", "amplitude", "period"},
		check:    checkSine,
		peak:     func(s Stage) float64 { return s.Base + s.Amplitude },
	},
	"burst": {
		required: []string{"base", "peak", "width", "period"},
		optional: []string{"jitter"},
		check:    checkBurst,
		peak:     func(s Stage) float64 { return max(s.Base, s.Peak) },
	},
}

// field points at the Stage field a YAML key names.
func (s *Stage) field(key string) any {
	switch key {
	case "shape":
		return &s.Shape
	case "rate":
		return &s.Rate
	case "from":
		return &s.From
	case "to":
		return &s.To
	case "base":
		return &s.Base
	case "amplitude":
		return &s.Amplitude
	case "peak":
		return &s.Peak
	case "steps":
		return &s.Steps
	case "for":
		return &s.For
	case "period":
		return &s.Period
	case "width":
		return &s.Width
	case "jitter":
		return &s.Jitter
	}
	panic("profiles: no stage field " + key)
}

// peak is the highest rate a validated stage offers.
func (s Stage) peak() float64 { return shapes[s.Shape].peak(s) }

// readStage reads one stage and reports whether it is valid. A stage of
// unknown shape reports only that: its other keys cannot be judged.
func readStage(f *yamlfields.Fields) (Stage, bool) {
	var s Stage
	f.Require("shape", &s.Shape)
	f.Require("for", &s.For)
	checkDuration(f, "for", s.For, false)
	spec, known := shapes[s.Shape]
	if !known {
		f.Check("shape", false, "%q is not a shape; want one of %s", s.Shape, shapeNames())
		return s, false
	}
	for _, key := range spec.required {
		f.Require(key, s.field(key))
		checkValue(f, key, s.field(key), true)
	}
	for _, key := range spec.optional {
		f.Read(key, s.field(key))
		checkValue(f, key, s.field(key), false)
	}
	if spec.check != nil {
		spec.check(f, s)
	}
	valid := f.OK("shape", "for") && f.OK(spec.required...)
	for _, key := range spec.optional {
		valid = valid && (!f.Has(key) || f.OK(key))
	}
	f.Close()
	return s, valid
}

// checkValue applies the rules every stage field of a type follows: rates
// are within bounds, counts are at least one, and durations are positive
// (or, when optional, not negative: zero means none) and within bounds.
func checkValue(f *yamlfields.Fields, key string, v any, required bool) {
	switch v := v.(type) {
	case *float64:
		checkRate(f, key, *v)
	case *int:
		f.Check(key, *v >= 1, "must be at least 1, got %d", *v)
	case *time.Duration:
		checkDuration(f, key, *v, !required)
	}
}

// checkSine keeps a sine's crest within the rate bound.
func checkSine(f *yamlfields.Fields, s Stage) {
	if f.OK("base") {
		f.Check("amplitude", s.Base+s.Amplitude <= MaxRatePerSecond, "%v over base %v is above the most one process can offer, %.0f req/s",
			s.Amplitude, s.Base, float64(MaxRatePerSecond))
	}
}

// checkBurst keeps every burst inside its own period, even when jittered, so
// that bursts never merge and the train has the peak count it promises.
func checkBurst(f *yamlfields.Fields, s Stage) {
	if f.OK("base") {
		f.Check("peak", s.Peak >= s.Base, "%v is below base %v", s.Peak, s.Base)
	}
	if f.OK("period") {
		f.Check("width", s.Width <= s.Period, "%v is longer than period %v", s.Width, s.Period)
		if f.OK("width") {
			f.Check("jitter", s.Jitter+s.Width <= s.Period,
				"%v plus width %v is longer than period %v: a late burst would run into the next period",
				s.Jitter, s.Width, s.Period)
		}
	}
}

func shapeNames() string {
	return strings.Join(slices.Sorted(maps.Keys(shapes)), ", ")
}

// MarshalYAML writes the stage as a one-line flow mapping holding only the
// keys its shape takes: {shape: ramp, from: 100, to: 1000, for: 20s}.
func (s Stage) MarshalYAML() (any, error) {
	spec, ok := shapes[s.Shape]
	if !ok {
		return nil, fmt.Errorf("stage shape %q is not a shape", s.Shape)
	}
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for _, key := range slices.Concat([]string{"shape"}, spec.required, spec.optional, []string{"for"}) {
		var k, v yaml.Node
		k.SetString(key)
		if err := v.Encode(s.field(key)); err != nil {
			return nil, fmt.Errorf("stage %s: %w", key, err)
		}
		n.Content = append(n.Content, &k, &v)
	}
	return n, nil
}
