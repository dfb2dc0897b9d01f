package syncsvc

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/targets/connlimits"
	"github.com/loadchaos/loadgen/targets/connlimits/connlimitstest"
)

// limitedServers starts an edge and a backend with limits l, and returns
// their addresses by name. The edge's backend is dead: no request gets
// that far.
func limitedServers(ctx context.Context, t *testing.T, l connlimits.Limits) map[string]string {
	t.Helper()
	edge, _ := startEdge(ctx, t, EdgeConfig{Backends: []string{deadAddr(t)}, Limits: l})
	backend, _ := startBackend(ctx, t, BackendConfig{Limits: l})
	return map[string]string{"edge": edge, "backend": backend}
}

// TestSlowClientsAreCutAtTheReadTimeout: a client sending a header byte
// every 100 ms is closed at the read timeout, by the edge and a backend.
func TestSlowClientsAreCutAtTheReadTimeout(t *testing.T) {
	ctx := testCtx(t)
	const readTimeout = 300 * time.Millisecond
	for name, addr := range limitedServers(ctx, t, connlimits.Limits{ReadTimeout: readTimeout}) {
		slowCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		open, err := connlimitstest.Slowloris(slowCtx, addr, 100*time.Millisecond)
		cancel()
		if err != nil || open < readTimeout {
			t.Errorf("%s: slow client closed after %v (%v), want closed at the read timeout of %v", name, open, err, readTimeout)
		}
	}
}

// TestConnectionsOverTheCapAreRejected: with MaxConns connections open, the
// edge and a backend answer one more 503 and close it.
func TestConnectionsOverTheCapAreRejected(t *testing.T) {
	ctx := testCtx(t)
	for name, addr := range limitedServers(ctx, t, connlimits.Limits{MaxConns: 2}) {
		capCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
		release, err := connlimitstest.Hold(capCtx, addr, 2)
		if err != nil {
			cancel()
			t.Fatalf("%s: %v", name, err)
		}
		line, err := connlimitstest.Rejected(capCtx, addr)
		release()
		cancel()
		if err != nil || !strings.HasPrefix(line, "HTTP/1.1 503 ") {
			t.Errorf("%s: a third connection: %q, %v; want 503 and closed", name, line, err)
		}
	}
}

func TestLimitsAreValidated(t *testing.T) {
	bad := connlimits.Limits{ReadTimeout: -1}
	if _, err := NewEdge(EdgeConfig{Backends: []string{"127.0.0.1:1"}, Limits: bad}); err == nil || !strings.Contains(err.Error(), "read timeout") {
		t.Errorf("NewEdge with a negative read timeout = %v, want an error naming it", err)
	}
	err := RunBackend(testCtx(t), BackendConfig{Limits: bad}, func(string) { t.Error("ready called for an invalid config") })
	if err == nil || !strings.Contains(err.Error(), "read timeout") {
		t.Errorf("RunBackend with a negative read timeout = %v, want an error naming it", err)
	}
}
