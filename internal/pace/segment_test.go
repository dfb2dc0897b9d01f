package pace

import (
	"slices"
	"testing"
	"time"
)

type request struct {
	seq uint64
	at  time.Duration
}

func segmentRequests(shape Shape, end time.Duration, seg Segment) []request {
	var out []request
	s := NewSegmentSchedule(shape, end, seg)
	for at, ok := s.Next(); ok; at, ok = s.Next() {
		out = append(out, request{s.Last(), at})
	}
	return out
}

func TestSegmentsTogetherAreTheWholeScheduleBurstsIncluded(t *testing.T) {
	shape := NewBurstTrain(BurstTrain{Base: 200, Peak: 3000, Width: 300 * time.Millisecond, Period: time.Second, Jitter: 200 * time.Millisecond, Seed: 7, Over: 4 * time.Second})
	whole := segmentRequests(shape, 4*time.Second, Segment{})
	for i, r := range whole {
		if r.seq != uint64(i) {
			t.Fatalf("request %d of the whole schedule has sequence number %d", i, r.seq)
		}
	}
	for _, n := range []int{1, 2, 3, 7} {
		var union []request
		for i := range n {
			part := segmentRequests(shape, 4*time.Second, Segment{Index: i, Count: n})
			for _, r := range part {
				if r.seq%uint64(n) != uint64(i) {
					t.Fatalf("%d segments: segment %d holds request %d", n, i, r.seq)
				}
			}
			union = append(union, part...)
		}
		slices.SortFunc(union, func(a, b request) int { return int(a.seq) - int(b.seq) })
		if !slices.Equal(union, whole) {
			t.Fatalf("%d segments: their union has %d requests, the whole schedule %d, or other times", n, len(union), len(whole))
		}
	}
}

func TestASegmentsScheduleIsAsSmoothAsTheWhole(t *testing.T) {
	// 1,000 req/s split in 3: each segment sends every 3 ms, not 3 at once.
	part := segmentRequests(Constant{PerSecond: 1000}, time.Second, Segment{Index: 1, Count: 3})
	if len(part) != 333 {
		t.Fatalf("segment 1/3 of 1,000 requests holds %d, want 333", len(part))
	}
	for i, r := range part {
		if want := time.Duration(1+3*i) * time.Millisecond; r.at != want {
			t.Fatalf("its request %d is at %v, want %v", i, r.at, want)
		}
	}
}

func TestParseSegment(t *testing.T) {
	tests := []struct {
		text string
		want Segment
		ok   bool
	}{
		{"0/1", Segment{0, 1}, true},
		{"2/3", Segment{2, 3}, true},
		{"3/3", Segment{}, false},
		{"-1/3", Segment{}, false},
		{"1/0", Segment{}, false},
		{"1", Segment{}, false},
		{"a/b", Segment{}, false},
		{"0/10001", Segment{}, false},
	}
	for _, tt := range tests {
		got, err := ParseSegment(tt.text)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseSegment(%q) = %v, %v; want %v, ok %v", tt.text, got, err, tt.want, tt.ok)
		}
	}
}

func TestPerGeneratorLimitsAreShared(t *testing.T) {
	tests := []struct {
		seg  Segment
		n    int
		want int
	}{
		{Segment{}, 10000, 10000},
		{Segment{0, 1}, 10000, 10000},
		{Segment{1, 3}, 10000, 3334},
		{Segment{2, 4}, 1, 1},
	}
	for _, tt := range tests {
		if got := tt.seg.Share(tt.n); got != tt.want {
			t.Errorf("%v.Share(%d) = %d, want %d", tt.seg, tt.n, got, tt.want)
		}
	}
}
