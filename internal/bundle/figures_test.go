package bundle

import (
	"reflect"
	"testing"

	"github.com/loadchaos/loadgen/internal/hist"
)

// TestFiguresRoundTripThroughEveryPath: each path's summary, whole run or
// phase, gives back the figures it was made from.
func TestFiguresRoundTripThroughEveryPath(t *testing.T) {
	f := Figures{Sent: 10, OK: 7, Errors: 2, ErrorClass: ErrorCounts{"5xx": 2}, LatencyMS: hist.LatencyMS{P50: 1, P99: 9, Max: 12}}
	for name, got := range map[string]Figures{
		"sync":        f.Sync().Figures(),
		"async":       f.Async().Figures(),
		"phase sync":  f.PhaseSync().Figures(),
		"phase async": f.PhaseAsync().Figures(),
	} {
		if !reflect.DeepEqual(got, f) {
			t.Errorf("%s: %+v, want %+v", name, got, f)
		}
	}
}
