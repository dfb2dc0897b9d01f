package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/loadchaos/loadgen/internal/cliargs"
)

func TestASecretHeaderIsSentButNeverWrittenOrPrinted(t *testing.T) {
	const token = "Bearer s3cr3t-0f-the-test"
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Header.Get("Authorization")]++
		mu.Unlock()
	}))
	defer srv.Close()
	profile := writeProfile(t, "http:\n  headers:\n    Authorization: {env: TEST_API_TOKEN}\n")
	out := t.TempDir()

	code, stdout, stderr := runCLIStreams(t, "run", profile, "--sync-url", srv.URL+"/", "--out", out)
	if code != cliargs.ExitBadInput || !strings.Contains(stderr, "http.headers.Authorization: environment variable TEST_API_TOKEN is not set") {
		t.Fatalf("the variable unset: exit %d, %q; want %d naming the header and the variable", code, stderr, cliargs.ExitBadInput)
	}

	t.Setenv("TEST_API_TOKEN", token)
	code, stdout, stderr = runCLIStreams(t, "run", profile, "--sync-url", srv.URL+"/", "--out", out)
	if code != cliargs.ExitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	mu.Lock()
	if len(seen) != 1 || seen[token] == 0 {
		t.Errorf("the target saw Authorization values %v; want the variable's on every request", seen)
	}
	mu.Unlock()
	if strings.Contains(stdout+stderr, "s3cr3t") {
		t.Errorf("the output holds the secret:\n%s%s", stdout, stderr)
	}
	bundleDir := filepath.Join(out, "latest")
	entries, err := os.ReadDir(bundleDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if data, err := os.ReadFile(filepath.Join(bundleDir, e.Name())); err == nil && strings.Contains(string(data), "s3cr3t") {
			t.Errorf("the bundle's %s holds the secret", e.Name())
		}
	}
	if data, err := os.ReadFile(filepath.Join(bundleDir, "profile.yaml")); err != nil || !strings.Contains(string(data), "env: TEST_API_TOKEN") {
		t.Errorf("profile.yaml (%v) does not keep where the secret is:\n%s", err, data)
	}
}
