package report

import (
	"slices"
	"testing"
)

func TestASweepsXAxisIsTheSettingsValuesWhenTheyAreNumbers(t *testing.T) {
	tests := []struct {
		values    []string
		want      []num
		wantNames bool
	}{
		{[]string{"6s", "12s", "1m"}, []num{6, 12, 60}, false}, // durations in seconds
		{[]string{"1", "2.5", "5"}, []num{1, 2.5, 5}, false},   // numbers as such
		{[]string{"none", "id"}, []num{1, 2}, true},            // words at positions, named
		{[]string{"30s", "6s"}, []num{1, 2}, true},             // not rising: at positions
		{[]string{"5"}, []num{5}, false},                       // one value
	}
	for _, tt := range tests {
		x, names := sweepAxis(tt.values)
		if !slices.Equal(x, tt.want) || (names != nil) != tt.wantNames {
			t.Errorf("%v: x %v, names %v; want %v, names %v", tt.values, x, names, tt.want, tt.wantNames)
		}
	}
}
