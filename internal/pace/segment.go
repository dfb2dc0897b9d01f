package pace

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxSegments bounds how many generators one schedule is split across.
const MaxSegments = 10000

// Segment is one generator's share of a schedule split across Count
// generators: request k of the whole schedule belongs to segment k mod
// Count. Striping keeps every segment's own schedule as smooth as the
// whole (each takes every Count-th request), where rate/Count from one
// start would fire Count synchronized micro-bursts; and the union of the
// segments is exactly the whole schedule, bursts included. The zero value
// is the whole schedule.
type Segment struct{ Index, Count int }

// Split reports whether the schedule is shared with other generators.
func (s Segment) Split() bool { return s.Count > 1 }

// Owns reports whether request k of the whole schedule is this segment's.
func (s Segment) Owns(k uint64) bool { return !s.Split() || k%uint64(s.Count) == uint64(s.Index) }

// Local numbers this segment's requests from 0: request k is its Local(k)th.
func (s Segment) Local(k uint64) uint64 {
	if !s.Split() {
		return k
	}
	return k / uint64(s.Count)
}

// Share is this segment's part of n, rounded up, for a limit that holds
// per generator (at least 1 when n is).
func (s Segment) Share(n int) int {
	if !s.Split() {
		return n
	}
	return (n + s.Count - 1) / s.Count
}

func (s Segment) String() string {
	if s.Count == 0 {
		return "0/1"
	}
	return strconv.Itoa(s.Index) + "/" + strconv.Itoa(s.Count)
}

// ParseSegment reads "I/N": segment I (from 0) of N, N from 1 to
// MaxSegments.
func ParseSegment(text string) (Segment, error) {
	i, n, ok := strings.Cut(text, "/")
	if !ok {
		return Segment{}, fmt.Errorf("%.20q is not I/N (such as 0/4)", text)
	}
	count, err := strconv.Atoi(n)
	if err != nil || count < 1 || count > MaxSegments {
		return Segment{}, fmt.Errorf("%.20q: N must be a whole number from 1 to %d", text, MaxSegments)
	}
	return NewSegment(i, count)
}

// NewSegment is segment index (decimal text, as an environment variable
// holds it) of count.
func NewSegment(index string, count int) (Segment, error) {
	if count < 1 || count > MaxSegments {
		return Segment{}, fmt.Errorf("%d segments: must be from 1 to %d", count, MaxSegments)
	}
	i, err := strconv.Atoi(index)
	if err != nil || i < 0 || i >= count {
		return Segment{}, fmt.Errorf("segment %.20q of %d: must be a whole number from 0 to %d", index, count, count-1)
	}
	return Segment{Index: i, Count: count}, nil
}
