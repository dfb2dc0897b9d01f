package phases

import (
	"slices"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// TestWindowsAreTheBundlesPhases: a run with chaos is cut into the phases a
// summary names (bundle.Phases), which thresholds may name, in that order.
func TestWindowsAreTheBundlesPhases(t *testing.T) {
	var names []string
	for _, w := range Windows([]Fault{{TS: 10}}, 20) {
		names = append(names, w.Name)
	}
	if !slices.Equal(names, bundle.Phases) {
		t.Errorf("a run is cut into %q, but a summary's phases are %q", names, bundle.Phases)
	}
}
