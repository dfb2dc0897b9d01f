package asyncsvc

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/targets/broker"
	"github.com/loadchaos/loadgen/targets/connlimits"
	"github.com/loadchaos/loadgen/targets/connlimits/connlimitstest"
)

// limitedEdge starts an edge with limits l and returns its host:port.
func limitedEdge(t *testing.T, l connlimits.Limits) string {
	t.Helper()
	topic := topicName(t, "jobs")
	url, _ := startEdge(t, EdgeConfig{Brokers: testBrokers(t, broker.Topic{Name: topic}), Topic: topic, Limits: l})
	return strings.TrimPrefix(url, "http://")
}

// TestEdgeCutsSlowClients: a client sending a header byte every 100 ms is
// closed at the read timeout; one that stops mid-request is told 408.
func TestEdgeCutsSlowClients(t *testing.T) {
	const readTimeout = 300 * time.Millisecond
	addr := limitedEdge(t, connlimits.Limits{ReadTimeout: readTimeout})
	ctx := testCtx(t, 10*time.Second)
	slowCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if open, err := connlimitstest.Slowloris(slowCtx, addr, 100*time.Millisecond); err != nil || open < readTimeout {
		t.Errorf("slow client closed after %v (%v), want closed at the read timeout of %v", open, err, readTimeout)
	}

	answer, err := connlimitstest.RawRequest(ctx, addr, "POST /work HTTP/1.1\r\nHost: x\r\n")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(answer, "HTTP/1.1 408 ") || !strings.Contains(answer, `{"error":"request not received in time"}`) {
		t.Errorf("a request stopped mid-headers: answered %q, want 408 with an error", answer)
	}
}

// TestEdgeRejectsConnectionsOverTheCap: with MaxConns connections open, one
// more is answered 503 and closed.
func TestEdgeRejectsConnectionsOverTheCap(t *testing.T) {
	addr := limitedEdge(t, connlimits.Limits{MaxConns: 2})
	ctx := testCtx(t, 3*time.Second)
	release, err := connlimitstest.Hold(ctx, addr, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if line, err := connlimitstest.Rejected(ctx, addr); err != nil || !strings.HasPrefix(line, "HTTP/1.1 503 ") {
		t.Errorf("a third connection: %q, %v; want 503 and closed", line, err)
	}
}

// TestEdgeDoesNotEchoAMalformedRequest: the 400 for a request fasthttp
// cannot parse does not carry the bytes received.
func TestEdgeDoesNotEchoAMalformedRequest(t *testing.T) {
	addr := limitedEdge(t, connlimits.Limits{})
	answer, err := connlimitstest.RawRequest(testCtx(t, 10*time.Second), addr, "\x16<script>secret-token</script> /work HTTP/1.1\r\nHost: x\r\n\r\n")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(answer, "HTTP/1.1 400 ") || strings.Contains(answer, "secret-token") {
		t.Errorf("a malformed request: answered %q, want 400 without the request's bytes", answer)
	}
}
