package blast

import (
	"slices"
	"testing"
)

func TestValidateNamesEveryProblem(t *testing.T) {
	tests := []struct {
		name  string
		r     Radius
		given []string
		want  []Problem
	}{
		// Nothing given is the default: one process.
		{"default", Radius{}, nil, nil},
		// A count given as 0 is wrong, though 0 is also the default.
		{"zero count", Radius{}, []string{"count"}, []Problem{{"count", "must be at least 1, got 0"}}},
		// Percent is above 0 up to 100.
		{"percent 100", Radius{Percent: 100}, []string{"percent"}, nil},
		{"percent 0", Radius{}, []string{"percent"}, []Problem{{"percent", "0 is not a percentage above 0 up to 100"}}},
		{"percent 150", Radius{Percent: 150}, []string{"percent"}, []Problem{{"percent", "150 is not a percentage above 0 up to 100"}}},
		// Two given: the first given is named, each other problem too.
		{"percent and all", Radius{Percent: 150, All: true}, []string{"percent", "all"},
			[]Problem{{"percent", "150 is not a percentage above 0 up to 100"}, {"percent", "give one of count, percent and all"}}},
	}
	for _, tt := range tests {
		got := tt.r.Validate(func(f string) bool { return slices.Contains(tt.given, f) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestOfTakesItsShareOfTheMatches(t *testing.T) {
	tests := []struct {
		r    Radius
		n    int
		want int
	}{
		{Radius{}, 5, 1},                // default: one
		{Radius{}, 0, 0},                // none to take
		{Radius{Count: 9}, 3, 3},        // more than match: all of them
		{Radius{Percent: 34}, 3, 2},     // rounded up
		{Radius{All: true}, 7, 7},       // every match
		{Radius{Percent: 0.1}, 1000, 1}, // a sliver is still one
	}
	for _, tt := range tests {
		if got := tt.r.Of(tt.n); got != tt.want {
			t.Errorf("%v %d: %d, want %d", tt.r, tt.n, got, tt.want)
		}
	}
}
