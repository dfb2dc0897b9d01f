package report

import (
	"math"
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

func TestALongChartIsDrawnFromTheMaximaOfRunsOfSeconds(t *testing.T) {
	const seconds = 3*maxChartPoints + 7
	c := chart{Kind: "time", X: make([]num, seconds), Series: []series{{Values: make([]num, seconds)}, {Values: make([]num, seconds)}}}
	for i := range seconds {
		c.X[i] = num(i)
		c.Series[0].Values[i] = 1
		c.Series[1].Values[i] = noValue
	}
	c.Series[0].Values[5000] = 250 // one spike
	c.Series[1].Values[seconds-1] = 3
	d := c.downsampled()
	if len(d.X) > maxChartPoints || len(d.Series[0].Values) != len(d.X) {
		t.Fatalf("%d points of x, %d of the series; want at most %d, alike", len(d.X), len(d.Series[0].Values), maxChartPoints)
	}
	if p := 5000 / 4; d.Series[0].Values[p] != 250 || d.X[p] != num(p*4) {
		t.Errorf("point %d: x %v, value %v; want the spike of 250 at x %d", p, d.X[p], d.Series[0].Values[p], p*4)
	}
	if last := d.Series[1].Values[len(d.X)-1]; last != 3 || !math.IsNaN(float64(d.Series[1].Values[0])) {
		t.Errorf("a series with one value at the end: last point %v, first %v; want 3 and no value", last, d.Series[1].Values[0])
	}
	if short := (chart{Kind: "time", X: make([]num, 10)}); len(short.downsampled().X) != 10 {
		t.Error("a short chart was downsampled")
	}
}
