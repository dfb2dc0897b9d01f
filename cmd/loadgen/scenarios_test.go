package main

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/profiles"
)

func TestScenariosListsEveryBuiltInWithWhatItShows(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	code, errOut := runCLI(t, "scenarios")
	os.Stdout = stdout
	w.Close()
	out, _ := io.ReadAll(r)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(profiles.Builtins())+1 {
		t.Fatalf("%d lines, want a head and one per built-in:\n%s", len(lines), out)
	}
	for i, name := range profiles.Builtins() {
		p, err := profiles.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(lines[i+1], name+" ") || !strings.HasSuffix(lines[i+1], p.Description) {
			t.Errorf("line %q: want %s and its description", lines[i+1], name)
		}
	}
	if code, _ := runCLI(t, "scenarios", "spike"); code != 2 {
		t.Errorf("scenarios with an argument: exit %d, want 2", code)
	}
}
