package run

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestAGroupWithLagAndNoProgressStallsOnce(t *testing.T) {
	var out bytes.Buffer
	g := &group{name: "email"}
	c := &completions{tl: newTimeline(&out), stallAfter: 3 * time.Second, groups: []*group{g}}
	observe := c.stallWatch()
	t0 := time.Now()
	observe(t0, 0, []int64{50})
	observe(t0.Add(2*time.Second), 2, []int64{50})
	if g.stalls != 0 {
		t.Fatalf("stalled after 2 s of no progress; want only after 3 s")
	}
	observe(t0.Add(3*time.Second), 3, []int64{60})
	observe(t0.Add(4*time.Second), 4, []int64{60})
	if g.stalls != 1 || strings.Count(out.String(), `"event":"stall"`) != 1 || g.lag.Load() != 60 || g.maxLag.Load() != 60 {
		t.Fatalf("stalls %d, timeline %q, lag %d, max %d; want one stall written, lag and max 60", g.stalls, out.String(), g.lag.Load(), g.maxLag.Load())
	}
	// Progress ends the stall; a new one needs stallAfter again.
	g.completed.Add(1)
	observe(t0.Add(5*time.Second), 5, []int64{40})
	observe(t0.Add(7*time.Second), 7, []int64{40})
	if g.stalls != 1 || g.lag.Load() != 40 || g.maxLag.Load() != 60 {
		t.Fatalf("stalls %d, lag %d, max %d after progress; want still 1, lag 40, max 60", g.stalls, g.lag.Load(), g.maxLag.Load())
	}
}
