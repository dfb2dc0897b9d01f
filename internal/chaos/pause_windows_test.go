package chaos

import (
	"errors"
	"testing"

	"github.com/loadchaos/loadgen/internal/proc"
)

func TestPauseOnWindowsFailsAndSignalsNothing(t *testing.T) {
	procs := workers()
	_, undo, err := Pause{}.Inject(t.Context(), procs, proc.Info{Name: "backend-1"})
	if !errors.Is(err, ErrPauseUnsupported) || undo != nil || len(procs.signals) != 0 {
		t.Fatalf("pause on windows: %v, undo %v, signals %v; want ErrPauseUnsupported and nothing sent", err, undo != nil, procs.signals)
	}
}
