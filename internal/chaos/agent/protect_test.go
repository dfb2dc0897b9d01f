package agent

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/proc"
)

func TestProtectionRules(t *testing.T) {
	family := lineage{self: 100, parent: 90, ancestors: map[int]bool{90: true, 80: true, 1: true}, watchdog: 101}
	worker := func(pid int, argv ...string) HostProc {
		p := HostProc{PPID: 80, Exe: "/usr/bin/" + strings.TrimPrefix(argv[0], "/opt/"), Argv: argv}
		p.PID = pid
		p.describe()
		return p
	}
	tests := []struct {
		name string
		p    HostProc
		want string // a part of the reason; "" for none
	}{
		// PID 1.
		{"init", worker(1, "/sbin/init"), "PID 1"},
		// The agent.
		{"itself", worker(100, "chaos-agent"), "itself"},
		// Its parent, and any ancestor.
		{"parent", worker(90, "bash"), "parent"},
		{"grandparent", worker(80, "sshd"), "ancestor"},
		// Its watchdog.
		{"watchdog", worker(101, "chaos-agent"), "watchdog"},
		// Kernel threads: no command line, no executable.
		{"kernel thread", HostProc{Info: proc.Info{PID: 7}, PPID: 2}, "kernel thread"},
		// loadgen's generator, broker and reports are off limits, named by executable or argv[0].
		{"loadgen run", worker(200, "loadgen", "run", "spike"), "loadgen process"},
		{"loadgen broker by argv[0]", worker(201, "/opt/loadgen", "broker"), "loadgen process"},
		{"bare loadgen", worker(202, "loadgen"), "loadgen process"},
		// loadgen target workers are legitimate targets.
		{"loadgen target consumer", worker(203, "loadgen", "target", "consumer", "--group", "email"), ""},
		{"loadgen target backend", worker(204, "./loadgen", "target", "backend", "--listen=127.0.0.1:0"), ""},
		// Other chaos agents.
		{"another agent", worker(205, "chaos", "serve"), "chaos agent"},
		// Anything else may be hit.
		{"a worker", worker(206, "python3", "worker.py"), ""},
	}
	for _, tt := range tests {
		got := family.protection(tt.p)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: protection %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDescribeNamesLoadgenWorkers(t *testing.T) {
	tests := []struct {
		argv                    []string
		name, role, group, peer string
	}{
		// A consumer is named by --worker, in the group --group says.
		{[]string{"loadgen", "target", "consumer", "--brokers", "b:9092", "--group", "email", "--worker", "consumer-email-1"},
			"consumer-email-1", "consumer", "email", "consumers of group email"},
		// --flag=value works as well.
		{[]string{"/bin/loadgen", "target", "consumer", "--group=index"}, "loadgen-consumer", "consumer", "index", "consumers of group index"},
		// A backend's peers are the backends.
		{[]string{"loadgen", "target", "backend"}, "loadgen-backend", "backend", "", "backends"},
		// Any other program is named after argv[0].
		{[]string{"/usr/bin/python3", "worker.py"}, "python3", "", "", "processes named python3"},
		// Any user sets a command line: what a shell would read becomes '_'.
		{[]string{"loadgen", "target", "consumer;id", "--group", "g $(id)", "--worker", "w`id`"}, "w_id_", "consumer_id", "g___id_", "consumer_ids"},
		// A name must not start like a flag.
		{[]string{"/tmp/-rf"}, "x-rf", "", "", "processes named x-rf"},
	}
	for _, tt := range tests {
		p := HostProc{Argv: tt.argv}
		p.PID = 7
		p.describe()
		if p.Label() != tt.name || p.Role != tt.role || p.Group != tt.group || p.Peers() != tt.peer || p.Name != tt.name+"@7" {
			t.Errorf("%q: %s (%s/%s, peers %s), want %s (%s/%s, peers %s)", tt.argv, p.Name, p.Role, p.Group, p.Peers(), tt.name, tt.role, tt.group, tt.peer)
		}
	}
}

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
	worker := spawn(t, path, "target", "consumer", "--group", "drill", "--worker", "drill-1", uniqueName(t))
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
	spawn(t, program(t, "loadgen"), "target", "consumer", "--group", "g;touch "+injected, "--worker", "$(touch "+injected+")", unique)
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
