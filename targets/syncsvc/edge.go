package syncsvc

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/targets/connlimits"
)

// DefaultEdgeTimeout is EdgeConfig.Timeout when it is left 0.
const DefaultEdgeTimeout = 2 * time.Second

// EdgeConfig configures the sync edge. A zero field takes the default it
// states.
type EdgeConfig struct {
	Listen   string            // host:port; default 127.0.0.1:0
	Backends []string          // host:port of each backend; at least one
	Timeout  time.Duration     // whole request budget, failovers included; default 2s, then 504
	Limits   connlimits.Limits // on the connections of the edge's clients; see connlimits for the defaults
}

// Edge is the sync edge: each request to /work is forwarded to one backend
// and answered only when the backend has answered. Backends take turns
// (round robin), each through its own keep-alive pool of up to 512
// connections.
//
// A backend that cannot be connected to (it refuses: it is dead), that
// resets the connection before answering (it died), that answers 503 (it is
// full) or whose pool is full, is passed over for the next one, each backend
// being tried once within the budget. The edge answers:
//
//	the backend's status and body  a backend answered (200, 500, 502, ...)
//	503                            no backend could take the request
//	504                            the budget ran out first
//	502                            a backend failed in any other way
//
// GET /healthz answers 200. A pooled connection found dead (its backend died
// or was restarted since) makes the edge drop that backend's idle
// connections and try it once more on a new one, so that a backend restarted
// on the same address is used again at once.
type Edge struct {
	listen  string
	timeout time.Duration
	limits  connlimits.Limits

	mu       sync.Mutex                  // serializes SetBackends
	backends atomic.Pointer[[]*upstream] // replaced whole, never modified
	turn     atomic.Uint64               // round-robin position
}

// NewEdge checks cfg, reporting every problem at once, and returns an edge
// with the defaults applied. It does not listen: see Run.
func NewEdge(cfg EdgeConfig) (*Edge, error) {
	var errs []error
	if cfg.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %v: must not be negative", cfg.Timeout))
	}
	if err := cfg.Limits.Validate(); err != nil {
		errs = append(errs, err)
	}
	e := &Edge{listen: cfg.Listen, timeout: cmp.Or(cfg.Timeout, DefaultEdgeTimeout), limits: cfg.Limits}
	if err := e.SetBackends(cfg.Backends); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	return e, nil
}

// RunEdge is NewEdge then Run.
func RunEdge(ctx context.Context, cfg EdgeConfig, ready func(addr string)) error {
	e, err := NewEdge(cfg)
	if err != nil {
		return err
	}
	return e.Run(ctx, ready)
}

// Run opens the listener, calls ready (if not nil) once with its address
// (host:port) and serves until ctx is done. It then shuts the server down:
// requests in flight get 1 s to finish before their connections are closed.
// Run an Edge once.
func (e *Edge) Run(ctx context.Context, ready func(addr string)) error {
	ln, err := listen(e.listen, ready)
	if err != nil {
		return fmt.Errorf("edge: %w", err)
	}
	srv := &fasthttp.Server{Handler: e.handle, Name: "loadgen-edge", CloseOnShutdown: true}
	e.limits.Apply(srv)
	// The edge has no work of its own to cut: a request in flight ends by
	// its budget.
	if err := serve(ctx, srv, ln, func() {}); err != nil {
		return fmt.Errorf("edge: %w", err)
	}
	return nil
}

// SetBackends replaces the backends (host:port each, at least one) while the
// edge runs. A backend kept keeps its pooled connections; a backend dropped
// has its idle ones closed. On error nothing changes.
func (e *Edge) SetBackends(addrs []string) error {
	var errs []error
	if len(addrs) == 0 {
		errs = append(errs, errors.New("backends: none given"))
	}
	for i, a := range addrs {
		if _, _, err := net.SplitHostPort(a); err != nil {
			errs = append(errs, fmt.Errorf("backends[%d]: %w", i, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	old := map[string]*upstream{}
	if p := e.backends.Load(); p != nil {
		for _, u := range *p {
			old[u.addr] = u
		}
	}
	ups := make([]*upstream, len(addrs))
	for i, a := range addrs {
		if u, ok := old[a]; ok {
			ups[i] = u
			delete(old, a)
		} else {
			ups[i] = newUpstream(a, false)
		}
	}
	e.backends.Store(&ups)
	for _, u := range old {
		u.hc.CloseIdleConnections()
	}
	return nil
}

func (e *Edge) handle(c *fasthttp.RequestCtx) {
	switch string(c.Path()) {
	case "/work":
		e.forward(c)
	case "/healthz":
		c.SetBodyString("ok\n")
	default:
		c.Error("not found: /work or GET /healthz\n", fasthttp.StatusNotFound)
	}
}

// forward sends the request to the backends in turn until one takes it.
func (e *Edge) forward(c *fasthttp.RequestCtx) {
	deadline := time.Now().Add(e.timeout)
	req := fasthttp.AcquireRequest()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	copyWork(req, c, "/work")

	ups := *e.backends.Load()
	first := e.turn.Add(1) - 1
	for i := range uint64(len(ups)) {
		u := ups[(first+i)%uint64(len(ups))]
		err := u.do(req, resp, deadline)
		switch {
		case err == nil && resp.StatusCode() == fasthttp.StatusServiceUnavailable:
			continue // full
		case err == nil:
			c.SetStatusCode(resp.StatusCode())
			c.Response.Header.SetContentTypeBytes(resp.Header.ContentType())
			c.SetBody(resp.Body())
			return
		case isTimeout(err):
			c.Error("timeout: no answer within "+e.timeout.String()+"\n", fasthttp.StatusGatewayTimeout)
			return
		case isUnreachable(err), isReset(err), errors.Is(err, fasthttp.ErrNoFreeConns):
			continue // dead, or its pool is full
		default:
			c.Error(fmt.Sprintf("backend %s: %v\n", u.addr, err), fasthttp.StatusBadGateway)
			return
		}
	}
	c.Error("no backend could take the request\n", fasthttp.StatusServiceUnavailable)
}
