package bundle_test

import (
	"slices"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/drive"
)

// TestErrorClassesAreTheDriversClasses: the error classes a bundle may hold
// are those the drivers sort outcomes into, but ok.
func TestErrorClassesAreTheDriversClasses(t *testing.T) {
	var names []string
	for _, c := range drive.Classes[1:] {
		names = append(names, c.String())
	}
	if drive.Classes[0] != drive.OK || !slices.Equal(names, bundle.ErrorClasses) {
		t.Errorf("bundle.ErrorClasses %q, but the drivers count errors as %q (after %s)", bundle.ErrorClasses, names, drive.Classes[0])
	}
}
