package phases

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// writeTimeline writes lines as a bundle's timeline.jsonl in a new directory.
func writeTimeline(t *testing.T, lines []bundle.TimelineLine) string {
	t.Helper()
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, bundle.TimelineFile))
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(f)
	for _, l := range lines {
		enc.Encode(l)
	}
	f.Close()
	return dir
}

// queue plays a queue second by second: arrivals a second (a burst of 300
// from 10 s to 20 s over a base of 30), consumers that complete up to 100
// a second; it writes what the run would: offered and accepted, completed.
func queue() []bundle.TimelineLine {
	var lines []bundle.TimelineLine
	backlog := int64(0)
	for s := range 80 {
		arriving := int64(30)
		if s >= 10 && s < 20 {
			arriving = 300
		}
		done := min(backlog+arriving, 100)
		backlog += arriving - done
		ts := float64(s)
		lines = append(lines,
			bundle.TimelineLine{TS: ts, Path: bundle.PathAsync, Offered: arriving, Completed: arriving, OK: arriving},
			bundle.TimelineLine{TS: ts, Path: bundle.PathAsyncE2E, Group: "email", Completed: done})
	}
	return lines
}

func TestLittlesLawPredictsTheDrainOfABacklog(t *testing.T) {
	b, err := Backlog(writeTimeline(t, queue()))
	if err != nil || b == nil {
		t.Fatalf("backlog %+v, %v", b, err)
	}
	// 10 s at 300 a second against 100: 2,000 waiting at 19 s; 70 a second
	// net drain after it: 28.6 s predicted, and the queue drains in 29.
	if b.Group != "email" || b.Peak != 2000 || b.PeakS != 19 || b.ServiceRate != 100 || b.ArrivalRate != 30 {
		t.Errorf("backlog %+v: want group email, 2000 at 19 s, 100/s served, 30/s arriving", b)
	}
	if b.PredictedDrainS == nil || *b.PredictedDrainS != 28.571 || b.ObservedDrainS == nil || *b.ObservedDrainS != 29 ||
		b.DrainErrorRatio == nil || *b.DrainErrorRatio != 0.015 {
		t.Errorf("drain predicted %v, observed %v, off by %v; want 28.571, 29, 0.015", b.PredictedDrainS, b.ObservedDrainS, b.DrainErrorRatio)
	}
}

func TestABacklogThatNeverDrainsHasNoObservedDrain(t *testing.T) {
	lines := queue()[:25*2] // the records end 5 s after the burst
	b, err := Backlog(writeTimeline(t, lines))
	if err != nil || b == nil || b.ObservedDrainS != nil || b.DrainErrorRatio != nil || b.PredictedDrainS == nil {
		t.Fatalf("backlog %+v, %v: want a prediction and no observed drain", b, err)
	}
	none, err := Backlog(writeTimeline(t, []bundle.TimelineLine{{TS: 0, Path: bundle.PathAsync, OK: 5}, {TS: 0, Path: bundle.PathAsyncE2E, Group: "g", Completed: 5}}))
	if err != nil || none != nil {
		t.Fatalf("everything completed at once: backlog %+v, %v; want none", none, err)
	}
}
