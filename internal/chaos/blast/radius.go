package blast

import (
	"fmt"
	"math"
)

// Radius is the blast radius. Set at most one field; with none set it is
// one process. The YAML names are those of profiles and experiments.
type Radius struct {
	Count   int     `yaml:"count,omitempty"`   // this many (more than match: all of them)
	Percent float64 `yaml:"percent,omitempty"` // this share of the matches, rounded up, above 0 up to 100
	All     bool    `yaml:"all,omitempty"`     // every match
}

// Fields are the radius's names in a file and, with "--", as flags.
var Fields = []string{"count", "percent", "all"}

// Problem is one thing wrong with a radius, about one of its Fields.
type Problem struct {
	Field  string
	Reason string
}

// Validate returns every problem of a radius whose fields named by given
// were set by the user (a zero count given is wrong; one not given is the
// default): a count below 1, a percent outside (0, 100], more than one
// field. The last is about the first field given.
func (r Radius) Validate(given func(field string) bool) []Problem {
	var problems []Problem
	if given("count") && r.Count < 1 {
		problems = append(problems, Problem{"count", fmt.Sprintf("must be at least 1, got %d", r.Count)})
	}
	if given("percent") && !(r.Percent > 0 && r.Percent <= 100) {
		problems = append(problems, Problem{"percent", fmt.Sprintf("%v is not a percentage above 0 up to 100", r.Percent)})
	}
	var set []string
	for _, f := range Fields {
		if given(f) {
			set = append(set, f)
		}
	}
	if len(set) > 1 {
		problems = append(problems, Problem{set[0], "give one of count, percent and all"})
	}
	return problems
}

// Of is how many of n matches the radius takes.
func (r Radius) Of(n int) int {
	switch {
	case r.All:
		return n
	case r.Percent > 0:
		return min(n, int(math.Ceil(r.Percent/100*float64(n))))
	case r.Count > 0:
		return min(n, r.Count)
	}
	return min(n, 1)
}

// String says it as "1 of", "3 of", "50% of", "all".
func (r Radius) String() string {
	switch {
	case r.All:
		return "all"
	case r.Percent > 0:
		return fmt.Sprintf("%g%% of", r.Percent)
	}
	return fmt.Sprintf("%d of", max(r.Count, 1))
}
