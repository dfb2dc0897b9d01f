package syncsvc

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/wire"
)

// testCtx bounds a whole test.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// start runs a server (RunBackend, RunEdge, ...) in the background and
// returns its address and a stop function that cancels it and waits for it
// to return; the test's cleanup calls stop too.
func start(ctx context.Context, t *testing.T, run func(ctx context.Context, ready func(string)) error) (addr string, stop func()) {
	t.Helper()
	runCtx, cancel := context.WithCancel(ctx)
	addrs := make(chan string, 1)
	errs := make(chan error, 1)
	go func() { errs <- run(runCtx, func(a string) { addrs <- a }) }()
	select {
	case addr = <-addrs:
	case err := <-errs:
		cancel()
		t.Fatalf("server did not start: %v", err)
	case <-ctx.Done():
		cancel()
		t.Fatal("server did not start in time")
	}
	stop = sync.OnceFunc(func() {
		cancel()
		select {
		case err := <-errs:
			if err != nil {
				t.Errorf("server %s: %v", addr, err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("server %s did not stop", addr)
		}
	})
	t.Cleanup(stop)
	return addr, stop
}

func startBackend(ctx context.Context, t *testing.T, cfg BackendConfig) (addr string, stop func()) {
	t.Helper()
	return start(ctx, t, func(ctx context.Context, ready func(string)) error {
		return RunBackend(ctx, cfg, ready)
	})
}

func startEdge(ctx context.Context, t *testing.T, cfg EdgeConfig) (addr string, stop func()) {
	t.Helper()
	return start(ctx, t, func(ctx context.Context, ready func(string)) error {
		return RunEdge(ctx, cfg, ready)
	})
}

// recorder is a stand-in backend: it answers every request with its status
// and counts them, keeping the identity headers of the last one.
type recorder struct {
	addr   string
	hits   atomic.Int64
	mu     sync.Mutex
	id, ns string
}

func startRecorder(ctx context.Context, t *testing.T, status int) *recorder {
	t.Helper()
	r := &recorder{}
	srv := &fasthttp.Server{Handler: func(c *fasthttp.RequestCtx) {
		r.hits.Add(1)
		r.mu.Lock()
		r.id = string(c.Request.Header.Peek(wire.HTTPIDHeader))
		r.ns = string(c.Request.Header.Peek(wire.HTTPSentNSHeader))
		r.mu.Unlock()
		c.SetStatusCode(status)
	}}
	r.addr, _ = start(ctx, t, func(ctx context.Context, ready func(string)) error {
		ln, err := listen("", ready)
		if err != nil {
			return err
		}
		return serve(ctx, srv, ln, func() {})
	})
	return r
}

func (r *recorder) last() (id, ns string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.id, r.ns
}

// deadAddr returns an address nothing listens on.
func deadAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

var client = &fasthttp.Client{MaxIdemponentCallAttempts: 1}

// post sends POST /work to addr with the identity headers and waits for the
// answer up to timeout.
func post(addr, id string, timeout time.Duration) (status int, body string, err error) {
	return send(fasthttp.MethodPost, "http://"+addr+"/work", id, timeout)
}

func send(method, url, id string, timeout time.Duration) (status int, body string, err error) {
	req := fasthttp.AcquireRequest()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.Header.SetMethod(method)
	req.SetRequestURI(url)
	req.Header.Set(wire.HTTPIDHeader, id)
	req.Header.Set(wire.HTTPSentNSHeader, "1234567890")
	req.Header.SetContentType("application/json")
	req.SetBodyString(`{"id":"` + id + `"}`)
	if err := client.DoTimeout(req, resp, timeout); err != nil {
		return 0, "", err
	}
	return resp.StatusCode(), string(resp.Body()), nil
}

// mustPost is post for the test goroutine: an error fails the test.
func mustPost(t *testing.T, addr, id string) (status int, body string) {
	t.Helper()
	status, body, err := post(addr, id, 10*time.Second)
	if err != nil {
		t.Fatalf("POST %s/work: %v", addr, err)
	}
	return status, body
}
