//go:build !linux || portable

package agent

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/testkit"
)

func TestOffLinuxTheAgentSaysSoOnce(t *testing.T) {
	err := Supported()
	if err == nil || !strings.HasPrefix(err.Error(), "the host agent runs on Linux hosts (this is ") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("Supported: %v, want one line saying the agent runs on Linux hosts", err)
	}
}

func TestOffLinuxNothingIsSelectedOrSignalled(t *testing.T) {
	host := NewHost()
	defer host.Close()
	if _, err := host.Select(mustSelect(t, "pid=1")); !errors.Is(err, errNotLinux) {
		t.Errorf("Select: %v, want errNotLinux", err)
	}
	if live := host.Live(); len(live) != 0 {
		t.Errorf("Live: %+v, want nothing", live)
	}
	if _, err := host.picker(HostPick{Select: mustSelect(t, "pid=1")}).Targets(host, testRand()); !errors.Is(err, errNotLinux) {
		t.Errorf("a pick: %v, want errNotLinux", err)
	}
	for name, err := range map[string]error{
		"signalSame": signalSame(os.Getpid(), 1, syscall.SIGKILL),
		"waitGone":   waitGone(t.Context(), os.Getpid(), 1),
		"inspect":    func() error { _, err := inspect(os.Getpid()); return err }(),
		"listPIDs":   func() error { _, err := listPIDs(); return err }(),
		"startedAt":  func() error { _, err := startedAt(1); return err }(),
	} {
		if !errors.Is(err, errNotLinux) {
			t.Errorf("%s: %v, want errNotLinux", name, err)
		}
	}
}

func TestOffLinuxATokenFileIsNotTrusted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(path, []byte(testToken), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadToken(path, ""); !errors.Is(err, errNotLinux) {
		t.Fatalf("ReadToken: %v, want a refusal: off Linux the agent cannot tell who owns the file", err)
	}
}

func TestOffLinuxAnArmedExperimentFailsEveryActionAndHalts(t *testing.T) {
	exp, err := Parse("off-linux.yaml", []byte("version: 1\ndeadline: 5s\nactions:\n  - select: pid=1\n    fault: kill\n  - select: pid=1\n    fault: pause\n    for: 1s\n"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	journal := &testkit.Buffer{}
	report, err := RunExperiment(ctx, exp, AgentOptions{Arm: true, Journal: journal})
	if err != nil || report.Failures != 2 || report.Halted != "done" {
		t.Fatalf("report %+v: %v; want both actions failed and a halt", report, err)
	}
	for _, e := range entriesOf(t, journal) {
		if e.Stage == chaos.StageFailed && !strings.Contains(e.Error, "runs on Linux hosts") {
			t.Errorf("journal entry %+v: want the reason", e)
		}
		if e.Stage == chaos.StageDone && e.Target != "" && e.Action != "experiment" {
			t.Errorf("journal entry %+v: something was done off Linux", e)
		}
	}
}
