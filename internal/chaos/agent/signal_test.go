package agent

import (
	"syscall"
	"testing"
)

func TestSignalsAreReadAndNamedAsOnLinux(t *testing.T) {
	tests := []struct {
		text   string
		want   syscall.Signal
		action string
	}{
		// By name, with or without SIG, in any case.
		{"SIGKILL", 9, "kill"},
		{"term", 15, "terminate"},
		{"HUP", 1, "sighup"},
		{"sigusr1", 10, "sigusr1"},
		// By number.
		{"12", 12, "sigusr2"},
		// A number Linux gives no name (a real-time signal).
		{"40", 40, "signal-40"},
	}
	for _, tt := range tests {
		got, ok := ParseSignal(tt.text)
		if !ok || got != tt.want || signalAction(got) != tt.action {
			t.Errorf("%q: signal %d (%v), action %q; want %d, %q", tt.text, got, ok, signalAction(got), tt.want, tt.action)
		}
	}
	for _, bad := range []string{"", "SIGNOPE", "0", "65", "-9", "9x"} {
		if sig, ok := ParseSignal(bad); ok {
			t.Errorf("%q: read as %d", bad, sig)
		}
	}
	if !StopsOrContinues(19) || !StopsOrContinues(18) || StopsOrContinues(9) {
		t.Error("SIGSTOP (19) and SIGCONT (18) are pause's, SIGKILL is not")
	}
	for sig := syscall.Signal(1); sig <= 31; sig++ {
		if name := signalName(sig); name == "" || signalNum(name) != sig {
			t.Errorf("signal %d: named %q, which reads back as %d", sig, name, signalNum(name))
		}
	}
}
