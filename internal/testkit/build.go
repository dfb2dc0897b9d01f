package testkit

import (
	"context"
	"os/exec"
	"path"
	"path/filepath"
	"testing"
	"time"
)

// module is this module's path: commands are built by import path, so a
// test builds the same binary from whichever package it runs in.
const module = "github.com/loadchaos/loadgen"

// BuildCommand builds cmd/NAME into dir (a fresh temporary directory when
// dir is "") and returns the binary's path, within 3 minutes.
func BuildCommand(t testing.TB, name, dir string) string {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	bin := filepath.Join(dir, name)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, path.Join(module, "cmd", name)).CombinedOutput(); err != nil {
		t.Fatalf("go build cmd/%s: %v\n%s", name, err, out)
	}
	return bin
}
