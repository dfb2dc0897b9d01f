package drive

import (
	"strings"
	"testing"
	"time"
)

// mixOfThree is a mix whose kinds differ in method, path, headers and body.
func mixOfThree(url string) HTTPConfig {
	return HTTPConfig{URL: url, Requests: []HTTPRequest{
		{Method: "GET", Path: "/items", Headers: map[string]string{"X-Custom": "browse"}},
		{Method: "POST", Path: "/orders", Headers: map[string]string{"X-Custom": "checkout"}, Body: `{"order":{{seq}}}`},
		{Method: "PUT", Path: "/carts", Body: "id={{id}}"},
	}}
}

// TestHTTPMixSendsEachKindAsItIs: each kind of a mix leaves with its own
// method, path, headers and body, whatever kind one sender sent before.
func TestHTTPMixSendsEachKindAsItIs(t *testing.T) {
	ctx := testCtx(t)
	s := startServer(t)
	h := newSender(t, mixOfThree(s.url+"/"))
	want := []received{
		{method: "GET", path: "/items", custom: "browse"},
		{method: "POST", path: "/orders", custom: "checkout", body: `{"order":7}`},
		{method: "PUT", path: "/carts", body: "id=x-7"},
	}
	for _, kind := range []int{2, 0, 1, 2, 1, 0} {
		if o := h.Do(ctx, &Request{Seq: 7, ID: "x-7", Intended: time.Now(), Kind: kind}); o.Class != OK {
			t.Fatalf("kind %d: outcome %v", kind, o.Class)
		}
		select {
		case got := <-s.got:
			got.id, got.sentNS = "", ""
			if got != want[kind] {
				t.Errorf("kind %d: server received %+v, want %+v", kind, got, want[kind])
			}
		case <-ctx.Done():
			t.Fatal("the server received nothing")
		}
	}
}

// TestHTTPMixRejectsABadTemplateNamingItsRequest: a typo in one kind's
// body names the kind.
func TestHTTPMixRejectsABadTemplateNamingItsRequest(t *testing.T) {
	cfg := mixOfThree("http://127.0.0.1:1/")
	cfg.Requests[1].Body = "{{ID}}"
	if _, err := NewHTTP(cfg); err == nil || !strings.HasPrefix(err.Error(), "request 1: body template: unknown placeholder {{ID}} (known: {{id}}, {{seq}}, ") {
		t.Errorf("NewHTTP = %v, want request 1's unknown placeholder", err)
	}
}

// BenchmarkHTTPDoMix sends a mix of three kinds in turn over one
// keep-alive connection: switching kinds allocates nothing once each kind
// has been sent.
func BenchmarkHTTPDoMix(b *testing.B) {
	s := startServer(b)
	cfg := HTTPConfig{URL: s.url, Requests: []HTTPRequest{
		{Method: "GET", Path: "/status/200"},
		{Method: "POST", Path: "/status/201", Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"id":"{{id}}","seq":{{seq}}}`},
		{Method: "PUT", Path: "/status/204", Body: "seq={{seq}}"},
	}}
	mix := NewMix(1, []int{5, 3, 2})
	sendEach(b, newSender(b, cfg), &mix)
}
