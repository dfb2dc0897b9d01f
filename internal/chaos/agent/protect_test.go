package agent

import (
	"strings"
	"testing"

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
		{"loadgen target async-consumer", worker(203, "loadgen", "target", "async-consumer", "--group", "email"), ""},
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
		{[]string{"loadgen", "target", "async-consumer", "--brokers", "b:9092", "--group", "email", "--worker", "consumer-email-1"},
			"consumer-email-1", "consumer", "email", "consumers of group email"},
		// --flag=value works as well, and so does the command's first name.
		{[]string{"/bin/loadgen", "target", "consumer", "--group=index"}, "loadgen-consumer", "consumer", "index", "consumers of group index"},
		// A backend's peers are the backends.
		{[]string{"loadgen", "target", "sync-backend"}, "loadgen-sync-backend", "backend", "", "backends"},
		{[]string{"loadgen", "target", "backend"}, "loadgen-backend", "backend", "", "backends"},
		// Both edges are edges, as in the embedded drill's registry.
		{[]string{"loadgen", "target", "sync-edge"}, "loadgen-sync-edge", "edge", "", "edges"},
		{[]string{"loadgen", "target", "sync"}, "loadgen-sync", "edge", "", "edges"},
		{[]string{"loadgen", "target", "async-edge"}, "loadgen-async-edge", "edge", "", "edges"},
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
