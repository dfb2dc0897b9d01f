package phases

import (
	"testing"
)

func TestOverGivesTheFiguresOfAnyWindowOfSeconds(t *testing.T) {
	dir, started := writeRun(t)
	p, err := Over(dir, started, Window{StartS: 8, EndS: 12})
	if err != nil {
		t.Fatal(err)
	}
	// Seconds 8 and 9 answered, 10 and 11 failed.
	if p == nil || p.Sync == nil || p.Sync.OK != 200 || p.Sync.Errors != 200 {
		t.Fatalf("window 8-12 s: %+v, want 200 ok and 200 errors", p)
	}
	if p99 := p.Sync.LatencyMS.P99; p99 < 4.9 || p99 > 5.1 {
		t.Errorf("p99 %v ms from the hlog, want 5", p99)
	}
	if p, err := Over(dir, started, Window{StartS: 30, EndS: 40}); err != nil || p != nil {
		t.Errorf("a window after the run: %+v, %v; want none", p, err)
	}
}
