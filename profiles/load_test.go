package profiles

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The built-ins' rates over time are tested where a profile becomes a
// rate shape: internal/run, TestBuiltinShapes.
func TestBuiltins(t *testing.T) {
	if got, want := Builtins(), []string{"cascade", "fanout", "leveling", "ordering", "queue-down", "ramp", "scale-out", "spike", "steady"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Builtins() = %v, want %v", got, want)
	}
	tests := []struct {
		name     string
		duration time.Duration
	}{
		{"steady", 30 * time.Second},
		{"spike", 90 * time.Second},
		{"ramp", 90 * time.Second},
		{"queue-down", 35 * time.Second},
		{"leveling", 50 * time.Second},
		{"fanout", 45 * time.Second},
		{"cascade", 50 * time.Second},
		{"ordering", 40 * time.Second},
		{"scale-out", 35 * time.Second},
	}
	for _, tt := range tests {
		p, err := Load(tt.name)
		if err != nil {
			t.Fatalf("Load(%q): %v", tt.name, err)
		}
		if p.Name != tt.name || p.Source != "builtin:"+tt.name || p.Description == "" {
			t.Errorf("%s: name %q, source %q, description %q", tt.name, p.Name, p.Source, p.Description)
		}
		if p.Duration != tt.duration {
			t.Errorf("%s: duration %v, want %v", tt.name, p.Duration, tt.duration)
		}
	}
}

func TestSpikeBursts(t *testing.T) {
	p, err := Load("spike")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Chaos) != 2 || p.Chaos[1].Target != "workers" || !p.Chaos[1].All {
		t.Errorf("spike chaos = %+v, want a consumer killed, then every worker", p.Chaos)
	}
	if p.HTTP.Method != "POST" || p.HTTP.Path != "/work" || p.HTTP.Headers["Content-Type"].Value != "application/json" ||
		p.HTTP.Body != `{"id":"{{id}}"}` {
		t.Errorf("spike http = %+v", p.HTTP)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mine.yaml")
	spike, err := os.ReadFile("spike.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, spike, 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("version: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// A path loads the file, named after it.
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "mine" || p.Source != path || p.Duration != 90*time.Second {
		t.Errorf("Load(path): name %q, source %q, duration %v", p.Name, p.Source, p.Duration)
	}

	// An invalid file's problems name the file.
	_, err = Load(bad)
	var perr *Error
	if !errors.As(err, &perr) || perr.Problems[0].String() != bad+":1: stages: is required" {
		t.Errorf("Load(bad) = %v", err)
	}

	// Neither a built-in nor a file: say what the built-ins are.
	_, err = Load("spiky")
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "cascade, fanout, leveling, ordering, queue-down, ramp, scale-out, spike, steady") {
		t.Errorf(`Load("spiky") = %v, want fs.ErrNotExist listing the built-ins`, err)
	}
}

func TestLoadReadsAFileWithABound(t *testing.T) {
	// A file past the bound is refused without reading it all.
	path := filepath.Join(t.TempDir(), "huge.yaml")
	if err := os.WriteFile(path, []byte("version: 1\n"+strings.Repeat("#", maxFileBytes)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); !errors.Is(err, errTooLarge) {
		t.Fatalf("Load(1 MiB file) = %v, want %v", err, errTooLarge)
	}
}
