package report

import (
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

func TestTheHeaderSaysWhichPartOfASplitRunABundleHolds(t *testing.T) {
	tests := []struct {
		run  bundle.Run
		want string
	}{
		{bundle.Run{Segment: &bundle.Segment{Index: 1, Count: 3}}, "segment 1 of 3 (requests k with k mod 3 = 1)"},
		{bundle.Run{Merged: &bundle.Merged{Count: 3, Segments: []int{0, 1}, Missing: []int{2}, Invalid: []int{1}}},
			"merged from 2 of 3 segments; missing [2]; invalid [1]"},
		{bundle.Run{}, ""},
	}
	for _, tt := range tests {
		var b strings.Builder
		if err := Text(&b, &bundle.Summary{Run: tt.run}); err != nil {
			t.Fatal(err)
		}
		header, _, _ := strings.Cut(b.String(), "\n\n")
		if got := SegmentLine(tt.run); got != tt.want || (tt.want != "" && !strings.Contains(header, tt.want)) {
			t.Errorf("segment line %q, header:\n%s\nwant %q in it", got, header, tt.want)
		}
	}
}
