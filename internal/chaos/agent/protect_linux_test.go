//go:build linux && !portable

package agent

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestTheAgentRefusesItselfItsParentAndPID1(t *testing.T) {
	host := NewHost()
	rng := testRand()
	for _, pid := range []int{os.Getpid(), os.Getppid(), 1} {
		pick := HostPick{Select: mustSelect(t, "pid="+strconv.Itoa(pid)), AllowLast: true}
		if got, err := host.picker(pick).Targets(host, rng); err == nil || !strings.Contains(err.Error(), "protected") {
			t.Errorf("pid %d: picked %+v (%v), want a refusal naming the protection", pid, got, err)
		}
	}
	// Signal re-checks, even for a process a pick would never return. The
	// signal is 0, which checks and delivers nothing, should this fail.
	self, err := inspect(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	host.remember(self)
	if err := host.Signal(self.Name, syscall.Signal(0)); err == nil || !strings.Contains(err.Error(), "itself") {
		t.Errorf("signal to the agent itself: %v, want a refusal", err)
	}
}

func TestLoadgenProcessesAreRefusedButItsWorkersAreNot(t *testing.T) {
	path := program(t, "loadgen")
	generator := spawn(t, path, "run", "spike", uniqueName(t))
	worker := spawn(t, path, "target", "async-consumer", "--group", "drill", "--worker", "drill-1", uniqueName(t))
	sel, err := NewHost().Select(mustSelect(t, "exe=loadgen,cmdline="+uniqueName(t)+"$"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sel.Matches) != 1 || sel.Matches[0].PID != worker.PID || sel.Matches[0].Name != "drill-1@"+strconv.Itoa(worker.PID) {
		t.Fatalf("matches %+v, want the worker drill-1 only", sel.Matches)
	}
	if len(sel.Refused) != 1 || sel.Refused[0].PID != generator.PID || !strings.Contains(sel.Refused[0].Refused, "loadgen process") {
		t.Fatalf("refused %+v, want the generator, as a loadgen process", sel.Refused)
	}
}

func TestNamesFromACommandLineNeverReachAShell(t *testing.T) {
	dir := t.TempDir()
	injected := filepath.Join(dir, "injected")
	unique := uniqueName(t)
	spawn(t, program(t, "loadgen"), "target", "async-consumer", "--group", "g;touch "+injected, "--worker", "$(touch "+injected+")", unique)
	cmd, err := ParseCommand("sh -c 'echo {{.Name}} {{.Role}} {{.Group}}'", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_, journal, got, err := inject(t, Action{Name: "echo", Fault: Exec{Command: cmd},
		Select: &HostPick{Select: mustSelect(t, "exe=loadgen,cmdline="+unique+"$"), AllowLast: true}})
	if err != nil || len(got.Targets) != 1 {
		t.Fatalf("injected %+v: %v; journal:\n%s", got, err, journal.String())
	}
	if _, err := os.Stat(injected); err == nil {
		t.Fatalf("a shell ran what a process's command line said; journal:\n%s", journal.String())
	}
}
