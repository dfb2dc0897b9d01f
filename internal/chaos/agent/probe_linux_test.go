//go:build linux && !portable

package agent

import (
	"context"
	"errors"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/testkit"
)

// failAfter passes n checks, then fails.
type failAfter struct{ n atomic.Int64 }

func (f *failAfter) Check(context.Context) error {
	if f.n.Add(-1) < 0 {
		return errors.New("unhealthy")
	}
	return nil
}
func (*failAfter) String() string { return "test probe" }

func TestAFailingProbeAbortsBeforeInjecting(t *testing.T) {
	a, b, _, exe := threeSleepers(t)
	probe := &failAfter{}
	probe.n.Store(1)
	host := NewHost()
	defer host.Close()
	journal := &testkit.Buffer{}
	r := chaos.NewRunner(host, chaos.NewJournal(journal, time.Now()), 1, chaos.WithProbe(probe))
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	err := r.Run(ctx, time.Now(), []chaos.Event{
		{Name: "first", Fault: Signal{Sig: syscall.SIGKILL}, Select: host.picker(HostPick{Select: mustSelect(t, "exe="+exe+",cmdline= a$")})},
		{At: time.Millisecond, Name: "second", Fault: Signal{Sig: syscall.SIGKILL}, Select: host.picker(HostPick{Select: mustSelect(t, "exe="+exe+",cmdline= b$")})},
		{At: 2 * time.Millisecond, Name: "third", Fault: Signal{Sig: syscall.SIGKILL}, Select: host.picker(HostPick{Select: mustSelect(t, "exe="+exe+",cmdline= c$")})},
	})
	r.Halt()
	if !errors.Is(err, chaos.ErrProbeFailed) {
		t.Fatalf("Run: %v, want ErrProbeFailed", err)
	}
	a.waitState(t, 0)
	if !b.running() {
		t.Fatal("an injection went ahead after the probe failed")
	}
	entries := entriesOf(t, journal)
	last := entries[len(entries)-1]
	if last.Action != "probe" || last.Stage != chaos.StageFailed || last.Name != "second" || len(r.Injected()) != 1 {
		t.Fatalf("journal ends with %+v; injected %d", last, len(r.Injected()))
	}
}
