//go:build linux && !portable

package proc

import (
	"testing"
	"time"
)

func TestTheRegistryRecordsTheStartTime(t *testing.T) {
	s, _ := newSupervisor(t, 10*time.Second)
	defer s.StopAll(5 * time.Second)
	info, err := s.Start(t.Context(), childSpec(t, "backend-1", "worker"))
	if err != nil {
		t.Fatal(err)
	}
	if now, err := StartTime(info.PID); err != nil || info.StartTime == 0 || now != info.StartTime {
		t.Fatalf("recorded start time %d, /proc says %d (%v): want the same, not 0", info.StartTime, now, err)
	}
}
