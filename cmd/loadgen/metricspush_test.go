package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/loadchaos/loadgen/internal/cliargs"
)

// The push flags reach the run, from the command line or the environment.
func TestMetricsPushFlagsReachTheRun(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer target.Close()
	var mu sync.Mutex
	var paths []string
	gateway := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		paths = append(paths, r.Method+" "+r.URL.Path)
	}))
	defer gateway.Close()
	t.Setenv("LOADGEN_METRICS_PUSH", gateway.URL)
	code, out := runCLI(t, "run", "steady", "--sync-url", target.URL+"/", "--rate", "20", "--duration", "1s",
		"--metrics-push-interval", "1s", "--run-id", "cli-push", "--out", t.TempDir(), "-q")
	// A busy machine may make the run invalid (97): it pushes all the same.
	if code != cliargs.ExitOK && code != cliargs.ExitInvalidRun {
		t.Fatalf("exit %d: %s", code, out)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(paths) == 0 || paths[len(paths)-1] != "PUT /metrics/job/loadgen/run_id/cli-push" {
		t.Errorf("pushes %v, want the last to the group of run cli-push", paths)
	}

	code, out = runCLI(t, "run", "steady", "--sync-url", target.URL+"/", "--metrics-push-interval", "100ms", "--out", t.TempDir())
	if code != cliargs.ExitBadInput || !strings.Contains(out, "--metrics-push-interval: 100ms is under 1s") {
		t.Errorf("a push interval under 1s: exit %d, %q; want 2 naming the flag", code, out)
	}
}
