package profiles

import (
	"strings"
	"testing"
)

// TestTwoRadiiNameAKeyTheEventHas: when count is not among the radii given,
// the problem names one that is, at its line.
func TestTwoRadiiNameAKeyTheEventHas(t *testing.T) {
	src := drillHead + `chaos:
  - at: 1s
    action: kill
    target: consumers
    percent: 50
    all: true
`
	got := problemsOf(t, src)
	want := `test.yaml:7: chaos[0].percent: give one of count, percent and all`
	if len(got) != 1 || !strings.HasPrefix(got[0].String(), want) {
		t.Fatalf("problems %v, want one: %s", got, want)
	}
}
