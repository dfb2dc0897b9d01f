package syncsvc

import (
	"log"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/testkit"
	"github.com/loadchaos/loadgen/targets/connlimits/connlimitstest"
)

// secret stands for what a client sends that must not come back to it or
// reach the logs.
const secret = "secret-token"

// TestRefusalsDoNotEchoTheRequest: the edge's and a backend's refusals
// never repeat the path, method or bytes that came in.
func TestRefusalsDoNotEchoTheRequest(t *testing.T) {
	ctx := testCtx(t)
	edge, _ := startEdge(ctx, t, EdgeConfig{Backends: []string{deadAddr(t)}})
	backend, _ := startBackend(ctx, t, BackendConfig{})
	for _, tc := range []struct {
		name, addr, request, status string
	}{
		{"edge, unknown path", edge, "POST /" + secret + " HTTP/1.1\r\n", "404"},
		{"edge, malformed", edge, "\x16" + secret + " HTTP/1.1\r\n", "400"},
		{"backend, unknown path", backend, "POST /" + secret + " HTTP/1.1\r\n", "404"},
		{"backend, method", backend, secret + " /work HTTP/1.1\r\n", "405"},
		{"backend, malformed", backend, "\x16" + secret + " HTTP/1.1\r\n", "400"},
	} {
		answer, err := connlimitstest.RawRequest(ctx, tc.addr, tc.request+"Host: x\r\nConnection: close\r\n\r\n")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(answer, "HTTP/1.1 "+tc.status+" ") || strings.Contains(answer, secret) {
			t.Errorf("%s: answered %q, want %s without the request's bytes", tc.name, answer, tc.status)
		}
	}
}

// TestMalformedRequestsAreLoggedWithoutTheirBytes: the log line for a
// request that cannot be parsed does not quote it.
func TestMalformedRequestsAreLoggedWithoutTheirBytes(t *testing.T) {
	logged := &testkit.Buffer{}
	defer log.SetOutput(log.Writer())
	log.SetOutput(logged)

	ctx := testCtx(t)
	edge, _ := startEdge(ctx, t, EdgeConfig{Backends: []string{deadAddr(t)}})
	backend, _ := startBackend(ctx, t, BackendConfig{})
	for name, addr := range map[string]string{"edge": edge, "backend": backend} {
		if _, err := connlimitstest.RawRequest(ctx, addr, "\x16"+secret+" HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		for !strings.Contains(logged.String(), addr) && ctx.Err() == nil {
			time.Sleep(10 * time.Millisecond) // the server logs after it closed the connection
		}
		if !strings.Contains(logged.String(), addr) {
			t.Fatalf("%s: no log line for the malformed request", name)
		}
	}
	if strings.Contains(logged.String(), secret) {
		t.Errorf("the log quotes the malformed requests:\n%s", logged)
	}
}
