package layout

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"
)

const module = "github.com/loadchaos/loadgen"

// rule says that no package matching from may depend, directly or through
// others, on a package matching to, unless it also matches except.
// A pattern is a path in the module: "x" is that package, "x/..." it and
// every package below it.
type rule struct {
	from, to, except string
}

var rules = []rule{
	// The systems under test share only the wire contract with the load
	// generator: they never import its driver.
	{from: "targets/...", to: "internal/drive/..."},
	// profiles is the schema; the run maps it onto a rate shape...
	{from: "profiles/...", to: "internal/pace/..."},
	// ...parses its threshold expressions...
	{from: "profiles/...", to: "internal/gate/..."},
	// ...and its service-time models. It checks a body with the template
	// grammar (internal/placeholder), not with the driver that sends it.
	{from: "profiles/...", to: "targets/work/..."},
	{from: "profiles/...", to: "internal/drive/..."},
	// gate reads bundles; it does not import the reports made from them.
	{from: "internal/gate/...", to: "internal/report/..."},
	// phases reads the chaos journal from the bundle, not from the engine
	// that writes it.
	{from: "internal/phases/...", to: "internal/chaos/..."},
	// The embedded drill's faults hit the processes it started; the host
	// agent, which selects processes on a host, is the chaos command's.
	{from: "internal/run/...", to: "internal/chaos/agent/..."},
	// Test helpers stay out of what ships.
	{from: "...", to: "internal/testkit", except: "internal/testkit"},
	// Only the commands assemble a run.
	{from: "...", to: "internal/run/...", except: "cmd/..."},
	// Nothing imports a command.
	{from: "...", to: "cmd/...", except: "cmd/..."},
}

// deps lists every package of the module with the module packages it
// depends on, tests left out, as paths relative to the module.
func deps(t *testing.T) map[string][]string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list imports: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, goTool, "list", "-json=ImportPath,Deps", module+"/...")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}
	out := map[string][]string{}
	dec := json.NewDecoder(&stdout)
	for {
		var p struct {
			ImportPath string
			Deps       []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		rel, ok := relative(p.ImportPath)
		if !ok {
			continue
		}
		out[rel] = []string{}
		for _, d := range p.Deps {
			if r, ok := relative(d); ok {
				out[rel] = append(out[rel], r)
			}
		}
	}
	return out
}

// relative is path within the module ("" for its root), and whether it is
// in the module at all.
func relative(path string) (string, bool) {
	if path == module {
		return "", true
	}
	rel, ok := strings.CutPrefix(path, module+"/")
	return rel, ok
}

// matches reports whether pkg matches pattern ("x" or "x/...", "..." for all).
func matches(pattern, pkg string) bool {
	if pattern == "" {
		return false
	}
	if pattern == "..." {
		return true
	}
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == base || strings.HasPrefix(pkg, base+"/")
	}
	return pkg == pattern
}

func TestImportsRunOneWay(t *testing.T) {
	all := deps(t)
	for _, r := range rules {
		var from int
		for pkg, ds := range all {
			if !matches(r.from, pkg) || matches(r.except, pkg) {
				continue
			}
			from++
			for _, d := range ds {
				if matches(r.to, d) {
					t.Errorf("%s imports %s (directly or through others): packages %s must not depend on %s", pkg, d, r.from, r.to)
				}
			}
		}
		// A rule whose packages were renamed away would pass for nothing.
		if from == 0 {
			t.Errorf("rule %+v: no package matches %s", r, r.from)
		}
		if !existsMatching(all, r.to) {
			t.Errorf("rule %+v: no package matches %s", r, r.to)
		}
	}
}

func existsMatching(all map[string][]string, pattern string) bool {
	for pkg := range all {
		if matches(pattern, pkg) {
			return true
		}
	}
	return false
}

func TestARuleCatchesWhatItForbids(t *testing.T) {
	// The matcher itself, row by row: a rule is only as good as its patterns.
	tests := []struct {
		pattern, pkg string
		want         bool
	}{
		{"targets/...", "targets", true},               // the package itself
		{"targets/...", "targets/asyncsvc", true},      // one below it
		{"targets/...", "targetsmore/x", false},        // a mere prefix is another package
		{"internal/drive/...", "internal/drive", true}, // a leaf package
		{"internal/gate", "internal/gate/sub", false},  // an exact pattern is one package
		{"...", "anything/at/all", true},               // every package
		{"", "cmd/loadgen", false},                     // no exception
	}
	for _, tt := range tests {
		if got := matches(tt.pattern, tt.pkg); got != tt.want {
			t.Errorf("matches(%q, %q) = %v, want %v", tt.pattern, tt.pkg, got, tt.want)
		}
	}
}
