//go:build linux && !portable

package agent

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/chaos/blast"
	"github.com/loadchaos/loadgen/internal/proc"
)

func TestSelectorsMatchRealProcesses(t *testing.T) {
	a, b, c, exe := threeSleepers(t)
	dir := t.TempDir()
	pidfile := filepath.Join(dir, "worker.pid")
	os.WriteFile(pidfile, []byte(strconv.Itoa(b.PID)+"\n"), 0o644)
	registry := filepath.Join(dir, "procs")
	os.Mkdir(registry, 0o755)
	record := func(info proc.Info) {
		data, _ := json.Marshal(info)
		os.WriteFile(filepath.Join(registry, info.Name+".json"), data, 0o644)
	}
	record(proc.Info{Name: "consumer-email-1", Role: "consumer", Group: "email", PID: a.PID, StartTime: a.StartTime})
	record(proc.Info{Name: "backend-1", Role: "backend", PID: c.PID, StartTime: c.StartTime})
	record(proc.Info{Name: "consumer-email-2", Role: "consumer", Group: "email", PID: b.PID, StartTime: b.StartTime + 1}) // stale
	cgroup := ownCgroup(t)

	tests := []struct {
		selector string
		want     []*sleeper
	}{
		// The executable's base name.
		{"exe=" + exe, []*sleeper{a, b, c}},
		// Its full path.
		{"exe=" + program(t, exe), []*sleeper{a, b, c}},
		// The command line, narrowed by the executable.
		{"exe=" + exe + ",cmdline= [ac]$", []*sleeper{a, c}},
		// A PID.
		{"pid=" + strconv.Itoa(c.PID), []*sleeper{c}},
		// A pidfile, read when the selector is resolved.
		{"pidfile=" + pidfile, []*sleeper{b}},
		// A registry: the live entries whose start time still matches; b's entry is stale.
		{"registry=" + registry, []*sleeper{a, c}},
		// A registry narrowed by role.
		{"registry=" + registry + ",role=backend", []*sleeper{c}},
		// By group and name, which the registry gives.
		{"registry=" + registry + ",group=email,name=consumer-email-1", []*sleeper{a}},
		// A cgroup, narrowed by the executable.
		{"cgroup=" + cgroup + ",exe=" + exe, []*sleeper{a, b, c}},
		// A cgroup no process is in.
		{"cgroup=/no/such/cgroup,exe=" + exe, nil},
		// Terms that exclude each other.
		{"pid=" + strconv.Itoa(a.PID) + ",pidfile=" + pidfile, nil},
	}
	host := NewHost()
	for _, tt := range tests {
		sel, err := host.Select(mustSelect(t, tt.selector))
		if err != nil {
			t.Errorf("%s: %v", tt.selector, err)
			continue
		}
		var got, want []int
		for _, m := range sel.Matches {
			got = append(got, m.PID)
			if len(m.Why) == 0 {
				t.Errorf("%s: pid %d matched without a reason", tt.selector, m.PID)
			}
		}
		for _, s := range tt.want {
			want = append(want, s.PID)
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: matched %v, want %v", tt.selector, got, want)
		}
	}
	sel, _ := host.Select(mustSelect(t, "registry="+registry))
	if len(sel.Notes) != 1 || !strings.Contains(sel.Notes[0], "consumer-email-2") {
		t.Errorf("notes %q: want the stale entry told", sel.Notes)
	}
	if sel.Matches[0].Name != "consumer-email-1@"+strconv.Itoa(a.PID) {
		t.Errorf("a registry process is named %q, want the registry's name", sel.Matches[0].Name)
	}
	if _, err := host.Select(mustSelect(t, "pidfile="+filepath.Join(dir, "missing.pid"))); err == nil {
		t.Error("a missing pidfile was accepted")
	}
}

// ownCgroup is this process's cgroup path in its first hierarchy.
func ownCgroup(t *testing.T) string {
	t.Helper()
	self, err := inspect(os.Getpid())
	if err != nil || len(self.Cgroups) == 0 {
		t.Skip("no cgroup for this process")
	}
	return self.Cgroups[0]
}

func TestPickKeepsTheBlastRadiusTheCapAndTheLastMember(t *testing.T) {
	_, _, _, exe := threeSleepers(t)
	host := NewHost()
	sel, err := host.Select(mustSelect(t, "exe="+exe))
	if err != nil {
		t.Fatal(err)
	}
	rng := testRand()
	tests := []struct {
		name string
		pick HostPick
		want int // processes picked; -1: refused
	}{
		// Nothing said: one.
		{"default one", HostPick{}, 1},
		// A count.
		{"count", HostPick{Radius: blast.Radius{Count: 2}}, 2},
		// A percentage rounds up: 50% of 3 is 2.
		{"percent", HostPick{Radius: blast.Radius{Percent: 50}}, 2},
		// All three are the whole peer group: refused.
		{"all refused", HostPick{Radius: blast.Radius{All: true}}, -1},
		// Unless the action allows taking the last one.
		{"all allowed", HostPick{Radius: blast.Radius{All: true}, AllowLast: true}, 3},
		// A count as large as the group is refused too.
		{"count of all", HostPick{Radius: blast.Radius{Count: 5}}, -1},
		// More matches than the cap: refused, whatever the radius.
		{"over the cap", HostPick{MaxMatches: 2}, -1},
	}
	for _, tt := range tests {
		got, err := tt.pick.Pick(sel, rng)
		switch {
		case tt.want < 0 && err == nil:
			t.Errorf("%s: picked %d, want a refusal", tt.name, len(got))
		case tt.want >= 0 && (err != nil || len(got) != tt.want):
			t.Errorf("%s: picked %d (%v), want %d", tt.name, len(got), err, tt.want)
		}
	}
	none, _ := host.Select(mustSelect(t, "exe="+exe+",cmdline=no-such-argument"))
	if _, err := (HostPick{}).Pick(none, rng); err == nil || !strings.Contains(err.Error(), "matches no live process") {
		t.Errorf("a selector matching nothing: %v, want a refusal", err)
	}
}
