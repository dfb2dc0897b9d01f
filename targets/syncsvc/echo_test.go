package syncsvc

import (
	"bytes"
	"context"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
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
		answer := rawRequest(ctx, t, tc.addr, tc.request+"Host: x\r\nConnection: close\r\n\r\n")
		if !strings.HasPrefix(answer, "HTTP/1.1 "+tc.status+" ") || strings.Contains(answer, secret) {
			t.Errorf("%s: answered %q, want %s without the request's bytes", tc.name, answer, tc.status)
		}
	}
}

// TestMalformedRequestsAreLoggedWithoutTheirBytes: the log line for a
// request that cannot be parsed does not quote it.
func TestMalformedRequestsAreLoggedWithoutTheirBytes(t *testing.T) {
	logged := &lockedBuffer{}
	defer log.SetOutput(log.Writer())
	log.SetOutput(logged)

	ctx := testCtx(t)
	edge, _ := startEdge(ctx, t, EdgeConfig{Backends: []string{deadAddr(t)}})
	backend, _ := startBackend(ctx, t, BackendConfig{})
	for name, addr := range map[string]string{"edge": edge, "backend": backend} {
		rawRequest(ctx, t, addr, "\x16"+secret+" HTTP/1.1\r\nHost: x\r\n\r\n")
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

// lockedBuffer is a bytes.Buffer that the servers' goroutines may write
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// rawRequest writes req to addr as it is and returns what the server
// answers until it closes the connection, within ctx.
func rawRequest(ctx context.Context, t *testing.T, addr, req string) string {
	t.Helper()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
	defer stop()
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(io.LimitReader(c, 4096))
	if err != nil {
		t.Fatalf("reading the answer to %q: %v", req, err)
	}
	return string(b)
}
