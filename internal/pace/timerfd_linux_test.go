//go:build linux && !portable

package pace

import (
	"testing"
	"time"
)

func TestTimerSleeperWakesAfterItsTimeNotLongAfter(t *testing.T) {
	ts, err := newTimerSleeper()
	if err != nil {
		t.Fatal(err)
	}
	defer ts.close()
	for _, d := range []time.Duration{50 * time.Microsecond, 2 * time.Millisecond, 0} {
		start := time.Now()
		ts.sleep(d)
		// Never early; the upper bound only catches a sleep that never
		// ends (a busy machine may wake it late).
		if took := time.Since(start); took < d || took > d+time.Second {
			t.Fatalf("sleep(%v) took %v", d, took)
		}
	}
}
