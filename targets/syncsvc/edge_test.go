package syncsvc

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/targets/work"
)

func TestEdgeChain(t *testing.T) {
	ctx := testCtx(t)
	b2, stopB2 := startBackend(ctx, t, BackendConfig{})
	b1, _ := startBackend(ctx, t, BackendConfig{Next: "http://" + b2 + "/work", Timeout: time.Second})
	edge, _ := startEdge(ctx, t, EdgeConfig{Backends: []string{b1}})

	if status, body := mustPost(t, edge, "c-1"); status != 200 || body != `{"id":"c-1"}` {
		t.Errorf("edge -> b1 -> b2: %d %q, want 200 {\"id\":\"c-1\"}", status, body)
	}
	stopB2()
	if status, body := mustPost(t, edge, "c-2"); status != fasthttp.StatusBadGateway {
		t.Errorf("edge -> b1 -> dead b2: %d %q, want 502", status, body)
	}
}

func TestEdgeRoundRobin(t *testing.T) {
	ctx := testCtx(t)
	a, b := startRecorder(ctx, t, 200), startRecorder(ctx, t, 200)
	edge, _ := startEdge(ctx, t, EdgeConfig{Backends: []string{a.addr, b.addr}})
	for i := range 10 {
		if status, _ := mustPost(t, edge, fmt.Sprint("rr-", i)); status != 200 {
			t.Fatalf("request %d: %d", i, status)
		}
	}
	if a.hits.Load() != 5 || b.hits.Load() != 5 {
		t.Errorf("hits %d and %d, want 5 each", a.hits.Load(), b.hits.Load())
	}
	if id, ns := b.last(); id != "rr-9" || ns != "1234567890" {
		t.Errorf("the backend got id %q sent-ns %q, want rr-9 1234567890", id, ns)
	}
}

func TestEdgePassesTheAnswerThrough(t *testing.T) {
	ctx := testCtx(t)
	failing, _ := startBackend(ctx, t, BackendConfig{Model: work.Model{FailureRate: 1}})
	edge, _ := startEdge(ctx, t, EdgeConfig{Backends: []string{failing}})
	if status, body := mustPost(t, edge, "x"); status != 500 || !strings.Contains(body, work.ErrFailed.Error()) {
		t.Errorf("got %d %q, want 500 %q", status, body, work.ErrFailed)
	}
}

func TestEdgeFailsOverADeadBackend(t *testing.T) {
	ctx := testCtx(t)
	live, _ := startBackend(ctx, t, BackendConfig{})
	edge, _ := startEdge(ctx, t, EdgeConfig{Backends: []string{deadAddr(t), live}})
	for i := range 6 { // each backend comes first 3 times
		if status, body := mustPost(t, edge, "f"); status != 200 {
			t.Errorf("request %d: %d %q, want 200", i, status, body)
		}
	}
}

func TestEdgePassesOverAFullBackend(t *testing.T) {
	ctx := testCtx(t)
	full, ok := startRecorder(ctx, t, 503), startRecorder(ctx, t, 200)
	edge, _ := startEdge(ctx, t, EdgeConfig{Backends: []string{full.addr, ok.addr}})
	for i := range 4 {
		if status, _ := mustPost(t, edge, "p"); status != 200 {
			t.Errorf("request %d: %d, want 200", i, status)
		}
	}
	if full.hits.Load() != 2 || ok.hits.Load() != 4 {
		t.Errorf("hits: full %d, ok %d; want 2 and 4", full.hits.Load(), ok.hits.Load())
	}
}

func TestEdgeNoBackendAnswers503(t *testing.T) {
	ctx := testCtx(t)
	full := startRecorder(ctx, t, 503)
	for _, tc := range []struct {
		name     string
		backends []string
	}{
		{"all dead", []string{deadAddr(t), deadAddr(t)}},
		{"dead and full", []string{deadAddr(t), full.addr}},
	} {
		edge, _ := startEdge(ctx, t, EdgeConfig{Backends: tc.backends, Timeout: 10 * time.Second})
		start := time.Now()
		if status, body := mustPost(t, edge, "d"); status != fasthttp.StatusServiceUnavailable {
			t.Errorf("%s: %d %q, want 503", tc.name, status, body)
		}
		if took := time.Since(start); took >= 10*time.Second {
			t.Errorf("%s: answered after %v, the whole budget", tc.name, took)
		}
	}
}

func TestEdgeBudgetExceededAnswers504(t *testing.T) {
	ctx := testCtx(t)
	slow, _ := startBackend(ctx, t, BackendConfig{Model: work.Model{Service: fixed(time.Hour)}})
	edge, _ := startEdge(ctx, t, EdgeConfig{Backends: []string{slow}, Timeout: 100 * time.Millisecond})
	if status, body := mustPost(t, edge, "s"); status != fasthttp.StatusGatewayTimeout {
		t.Errorf("got %d %q, want 504", status, body)
	}
}

func TestEdgeUsesARestartedBackend(t *testing.T) {
	ctx := testCtx(t)
	addr, stop := startBackend(ctx, t, BackendConfig{})
	edge, _ := startEdge(ctx, t, EdgeConfig{Backends: []string{addr}})

	// Several connections in the edge's pool, all to the first process.
	postAll := func(what string, n int) {
		t.Helper()
		var wg sync.WaitGroup
		statuses := make(chan int, n)
		for range n {
			wg.Go(func() {
				status, _, err := post(edge, what, 10*time.Second)
				if err != nil {
					status = -1
				}
				statuses <- status
			})
		}
		wg.Wait()
		close(statuses)
		for s := range statuses {
			if s != 200 {
				t.Errorf("%s: %d, want 200", what, s)
			}
		}
	}
	postAll("before", 8)

	// Stopped and started again on the same address, with no request in
	// between: the pooled connections are dead and must not fail requests.
	stop()
	_, stop = startBackend(ctx, t, BackendConfig{Listen: addr})
	postAll("after a restart", 8)

	// Stopped: the edge answers 503; started again: 200.
	stop()
	if status, _ := mustPost(t, edge, "down"); status != fasthttp.StatusServiceUnavailable {
		t.Errorf("backend down: %d, want 503", status)
	}
	startBackend(ctx, t, BackendConfig{Listen: addr})
	if status, _ := mustPost(t, edge, "up"); status != 200 {
		t.Errorf("backend up again: %d, want 200", status)
	}
}

func TestEdgeSetBackends(t *testing.T) {
	ctx := testCtx(t)
	a, b := startRecorder(ctx, t, 200), startRecorder(ctx, t, 200)
	e, err := NewEdge(EdgeConfig{Backends: []string{a.addr}})
	if err != nil {
		t.Fatal(err)
	}
	edge, _ := start(ctx, t, e.Run)
	mustPost(t, edge, "1")
	if err := e.SetBackends([]string{b.addr}); err != nil {
		t.Fatal(err)
	}
	mustPost(t, edge, "2")
	if err := e.SetBackends([]string{"no port"}); err == nil {
		t.Error("SetBackends took an address without a port")
	}
	mustPost(t, edge, "3")
	if a.hits.Load() != 1 || b.hits.Load() != 2 {
		t.Errorf("hits: %d and %d, want 1 before the change and 2 after", a.hits.Load(), b.hits.Load())
	}
}

func TestNewEdgeErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  EdgeConfig
		want []string // parts of the error, all of them
	}{
		{EdgeConfig{}, []string{"backends: none given"}},                                            // no backend
		{EdgeConfig{Backends: []string{"127.0.0.1:1", "nohost"}}, []string{"backends[1]"}},          // an address without a port
		{EdgeConfig{Backends: []string{"x"}, Timeout: -1}, []string{"backends[0]", "timeout -1ns"}}, // every error at once
	} {
		_, err := NewEdge(tc.cfg)
		if err == nil {
			t.Errorf("%+v: no error", tc.cfg)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%+v: error %q does not say %q", tc.cfg, err, w)
			}
		}
	}
}
