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

func TestBuiltins(t *testing.T) {
	if got, want := Builtins(), []string{"ramp", "spike", "steady"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Builtins() = %v, want %v", got, want)
	}
	tests := []struct {
		name     string
		duration time.Duration
		at       time.Duration
		rate     float64
	}{
		// steady: 1,000 req/s throughout its 30 s.
		{"steady", 30 * time.Second, 15 * time.Second, 1000},
		// spike: 100 req/s baseline for the first 15 s of 90 s.
		{"spike", 90 * time.Second, 5 * time.Second, 100},
		// spike: the first burst, 500 req/s from 15 s.
		{"spike", 90 * time.Second, 16 * time.Second, 500},
		// spike: back to 100 req/s through the chaos.
		{"spike", 90 * time.Second, 60 * time.Second, 100},
		// ramp: halfway up the 0 to 2,000 ramp at 30 s.
		{"ramp", 90 * time.Second, 30 * time.Second, 1000},
		// ramp: holding 2,000 after the ramp.
		{"ramp", 90 * time.Second, 75 * time.Second, 2000},
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
		if got := p.Shape().Rate(tt.at); got != tt.rate {
			t.Errorf("%s: Rate(%v) = %v, want %v", tt.name, tt.at, got, tt.rate)
		}
	}
}

func TestSpikeBursts(t *testing.T) {
	p, err := Load("spike")
	if err != nil {
		t.Fatal(err)
	}
	p.Seed = 1
	shape := p.Shape()
	var peak time.Duration
	for at := time.Duration(0); at < 90*time.Second; at += time.Millisecond {
		if shape.Rate(at) == 500 {
			peak += time.Millisecond
		}
	}
	if peak != 6*time.Second {
		t.Errorf("spike peaks for %v, want two 3 s bursts, 6s", peak)
	}
	if len(p.Chaos) != 2 || p.Chaos[1].Target != "workers" || !p.Chaos[1].All {
		t.Errorf("spike chaos = %+v, want a consumer killed, then every worker", p.Chaos)
	}
	if p.HTTP.Method != "POST" || p.HTTP.Path != "/work" || p.HTTP.Headers["Content-Type"] != "application/json" ||
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
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "ramp, spike, steady") {
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
