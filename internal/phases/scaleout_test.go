package phases

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// scaledQueue plays a group's queue second by second for 30 s: 100
// arrivals a second, consumers that complete up to capacity(s) a second.
func scaledQueue(capacity func(s int) int64) []bundle.TimelineLine {
	var lines []bundle.TimelineLine
	backlog := int64(0)
	for s := range 30 {
		done := min(backlog+100, capacity(s))
		backlog += 100 - done
		ts := float64(s)
		lines = append(lines,
			bundle.TimelineLine{TS: ts, Path: bundle.PathAsync, Offered: 100, Completed: 100, OK: 100},
			bundle.TimelineLine{TS: ts, Path: bundle.PathAsyncE2E, Group: "workers", Completed: done})
	}
	return lines
}

// oneToFour is one consumer (50 a second) until 10 s, a rebalance in
// seconds 10 and 11 (30 a second), then four (200 a second).
func oneToFour(s int) int64 {
	switch {
	case s < 10:
		return 50
	case s < 12:
		return 30
	}
	return 200
}

// scale is three consumers added: begun at 10.2 s, ready at 11.4 s.
var scale = Fault{Action: bundle.ActionScale, Group: "workers", BeganS: 10.2, TS: 11.4,
	Targets: []string{"consumer-workers-2", "consumer-workers-3", "consumer-workers-4"}}

func rate(v float64) *float64 { return &v }

func TestAScaleOutsDrainRateIsMeasuredBeforeAndAfter(t *testing.T) {
	got, err := ScaleOut(writeTimeline(t, scaledQueue(oneToFour)), []Fault{{Action: "kill", TS: 3}, scale})
	if err != nil {
		t.Fatal(err)
	}
	// The backlog grows by 50 a second to 500 at 9 s. Before: seconds 5 to
	// 9, at 50 a second; the rebalance's seconds 10 and 11 are left out.
	// After: 12 to 16, at 200 a second, while 640 down to 240 wait. Second
	// 17 begins with 140 waiting, less than the 200 done: caught up.
	want := []bundle.ScaleOut{{TS: 11.4, Group: "workers", Added: 3, Backlog: 500,
		RateBeforePerS: rate(50), BeforeS: 5, RateAfterPerS: rate(200), AfterS: 5, RateRatio: rate(4), CaughtUpS: rate(5.6)}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("scale-out %+v\nwant %+v", got, want)
	}
}

func TestOnlyBusySecondsCount(t *testing.T) {
	// The backlog builds from 7 s, which began empty: seconds 8 and 9 are
	// busy before. After, second 12 begins with 240 waiting and does 200;
	// 13 begins with 140 and does 200: caught up.
	lines := scaledQueue(func(s int) int64 {
		switch {
		case s < 7:
			return 100
		case s < 10:
			return 20
		case s < 12:
			return 100
		}
		return 200
	})
	got, err := ScaleOut(writeTimeline(t, lines), []Fault{scale})
	if err != nil || len(got) != 1 {
		t.Fatalf("scale-out %+v, %v", got, err)
	}
	g := got[0]
	if g.BeforeS != 2 || *g.RateBeforePerS != 20 || g.Backlog != 240 || g.AfterS != 1 || *g.RateAfterPerS != 200 || *g.RateRatio != 10 ||
		*g.CaughtUpS != 1.6 {
		t.Errorf("scale-out %+v, before %v, after %v, caught up %v: want 2 s at 20, backlog 240, 1 s at 200, caught up 1.6 s after",
			g, *g.RateBeforePerS, *g.RateAfterPerS, *g.CaughtUpS)
	}
	none, err := ScaleOut(writeTimeline(t, scaledQueue(func(int) int64 { return 200 })), []Fault{scale})
	if err != nil || len(none) != 1 || none[0].RateBeforePerS != nil || none[0].RateAfterPerS != nil || none[0].RateRatio != nil ||
		none[0].CaughtUpS == nil || *none[0].CaughtUpS != 0.6 {
		t.Errorf("consumers that keep up: %+v, %v; want no rates, no ratio, caught up at once", none, err)
	}
	if no, err := ScaleOut(writeTimeline(t, lines), []Fault{{Action: "kill", TS: 3, Targets: []string{"x"}}}); no != nil || err != nil {
		t.Errorf("no scale-out: %+v, %v", no, err)
	}
}

func TestAScaleOutIsReadFromTheJournalWithItsGroupAndBeginning(t *testing.T) {
	journal := `{"t_s":10.2,"event":0,"stage":"intent","action":"scale","target":"consumer-workers-2","group":"workers"}
{"t_s":10.2,"event":0,"stage":"intent","action":"scale","target":"consumer-workers-3","group":"workers"}
{"t_s":11.4,"event":0,"stage":"done","action":"scale","target":"consumer-workers-3","group":"workers","pid":31}
{"t_s":11.5,"event":0,"stage":"done","action":"scale","target":"consumer-workers-2","group":"workers","pid":30}
{"t_s":20,"event":0,"stage":"intent","action":"stop","target":"consumer-workers-2","group":"workers","pid":30}
{"t_s":21,"event":0,"stage":"done","action":"stop","target":"consumer-workers-2","group":"workers","pid":30}
`
	faults, err := readJournal(strings.NewReader(journal), "j.jsonl", time.Time{})
	if err != nil || len(faults) != 1 {
		t.Fatalf("faults %+v, %v", faults, err)
	}
	f := faults[0]
	if f.Action != "scale" || f.Group != "workers" || f.BeganS != 10.2 || f.TS != 11.4 || len(f.Targets) != 2 || f.EndS == nil || *f.EndS != 21 {
		t.Errorf("fault %+v: want workers' scale begun at 10.2 s, done at 11.4 s, 2 added, stopped at 21 s", f)
	}
}
