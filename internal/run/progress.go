package run

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/loadchaos/loadgen/internal/hist"
)

// progress prints a line a second on a terminal (rewritten in place), or
// one every progressEvery elsewhere, so that CI logs stay short.
type progress struct {
	w        io.Writer
	terminal bool
	start    time.Time
	total    time.Duration
	paths    []*path
	comps    *completions       // nil when no completions are read
	userLag  *lagWatch          // the user's own groups; nil for none
	last     map[*path][2]int64 // scheduled and completed at the previous line
	lastAt   time.Time
}

const progressEvery = 5 * time.Second

func (pr *progress) run(stop <-chan struct{}) {
	every := time.Second
	if !pr.terminal {
		every = progressEvery
	}
	pr.last, pr.lastAt = map[*path][2]int64{}, pr.start
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			if pr.terminal {
				fmt.Fprint(pr.w, "\r\033[K")
			}
			return
		case now := <-t.C:
			pr.print(now)
		}
	}
}

func (pr *progress) print(now time.Time) {
	elapsed := max(now.Sub(pr.start), 0).Truncate(time.Second)
	var b strings.Builder
	fmt.Fprintf(&b, "%5s/%s", elapsed, pr.total)
	secs := now.Sub(pr.lastAt).Seconds()
	for _, p := range pr.paths {
		var scheduled int64
		if p.pacer != nil {
			scheduled = p.pacer.Counts().Scheduled
		}
		completed := p.completed.Load()
		prev := pr.last[p]
		pr.last[p] = [2]int64{scheduled, completed}
		fmt.Fprintf(&b, " | %s offered %.0f/s done %.0f/s p99 %s err %d in-flight %d", p.name,
			float64(scheduled-prev[0])/secs, float64(completed-prev[1])/secs,
			formatMS(p.collector.Recent()), p.errors.Load(), p.inFlight.Load())
	}
	if pr.comps != nil {
		fmt.Fprintf(&b, " | lag %d, %d awaiting completion", pr.comps.lag(), pr.comps.pending())
	}
	if pr.userLag != nil {
		fmt.Fprintf(&b, " | your groups' lag %d", pr.userLag.lastWorst())
	}
	pr.lastAt = now
	if pr.terminal {
		fmt.Fprintf(pr.w, "\r\033[K%s", b.String())
	} else {
		fmt.Fprintln(pr.w, b.String())
	}
}

func formatMS(s hist.LatencyMS) string {
	if s.Max == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1fms", s.P99)
}
