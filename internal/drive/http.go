package drive

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"
)

// HTTPConfig configures an HTTP driver. A zero field takes the default it
// states.
type HTTPConfig struct {
	URL      string            // the target, such as http://127.0.0.1:8080/work; http or https
	Method   string            // default GET
	Headers  map[string]string // sent on every request; set Content-Type here when there is a Body
	Body     string            // may contain {{id}} and {{seq}}, substituted per request; default none
	Timeout  time.Duration     // per request, waiting for a free connection included; default 10s
	MaxConns int               // keep-alive pool size: pass the run's in-flight cap; default 1024
}

const (
	defaultHTTPTimeout = 10 * time.Second
	defaultMaxConns    = 1024

	// idleConnTimeout closes pooled connections idle this long, below the
	// 5 s keep-alive timeout of common servers (Node.js), so that a
	// connection the server has already closed is not picked and then
	// counted as a Reset.
	idleConnTimeout = 4 * time.Second

	// checkDialTimeout bounds Check when ctx allows longer.
	checkDialTimeout = 5 * time.Second
)

// HTTP sends each request with fasthttp over a keep-alive pool to one host.
//
// A request is sent once: fasthttp's retry of idempotent requests is off,
// because a retry would reach the target twice under one Loadgen-Id and
// hide the error that caused it.
type HTTP struct {
	url     string
	addr    string // host:port, for Check
	timeout time.Duration
	client  *fasthttp.HostClient
	proto   *fasthttp.Request // method, URI and headers, copied into each request
	body    *template         // nil when there is no body
}

var _ Driver = (*HTTP)(nil)

// NewHTTP checks cfg, reporting every problem at once, and returns a driver
// with the defaults applied. It does not connect: see Check.
func NewHTTP(cfg HTTPConfig) (*HTTP, error) {
	var errs []error
	u, err := url.Parse(cfg.URL)
	switch {
	case err != nil:
		errs = append(errs, fmt.Errorf("url: %w", err))
	case u.Scheme != "http" && u.Scheme != "https":
		errs = append(errs, fmt.Errorf("url %q: scheme must be http or https", cfg.URL))
	case u.Hostname() == "":
		errs = append(errs, fmt.Errorf("url %q: no host", cfg.URL))
	}
	if cfg.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %v: must not be negative", cfg.Timeout))
	}
	if cfg.MaxConns < 0 {
		errs = append(errs, fmt.Errorf("max conns %d: must not be negative", cfg.MaxConns))
	}
	var body *template
	if cfg.Body != "" {
		if body, err = parseTemplate(cfg.Body); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	timeout := cmp.Or(cfg.Timeout, defaultHTTPTimeout)
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	h := &HTTP{
		url:     cfg.URL,
		addr:    net.JoinHostPort(u.Hostname(), port),
		timeout: timeout,
		body:    body,
		proto:   &fasthttp.Request{},
	}
	h.client = &fasthttp.HostClient{
		Addr:                      h.addr,
		IsTLS:                     u.Scheme == "https",
		Name:                      "loadgen",
		MaxConns:                  cmp.Or(cfg.MaxConns, defaultMaxConns),
		MaxConnWaitTimeout:        timeout,
		ReadTimeout:               timeout,
		WriteTimeout:              timeout,
		MaxIdleConnDuration:       idleConnTimeout,
		MaxIdemponentCallAttempts: 1,
	}
	h.proto.SetRequestURI(cfg.URL)
	h.proto.URI() // parse now: concurrent CopyTo then only reads the prototype
	h.proto.Header.SetMethod(cmp.Or(cfg.Method, fasthttp.MethodGet))
	for k, v := range cfg.Headers {
		h.proto.Header.Set(k, v)
	}
	return h, nil
}

// Check dials the target's TCP address, within 5 s and ctx, and hangs up. It
// sends no HTTP request, so it neither counts nor triggers work on the target.
func (h *HTTP) Check(ctx context.Context) error {
	d := net.Dialer{Timeout: checkDialTimeout}
	c, err := d.DialContext(ctx, "tcp", h.addr)
	if err != nil {
		return fmt.Errorf("cannot reach %s: %w", h.url, err)
	}
	return c.Close()
}

// Do sends one request and waits for its answer until the request timeout
// or ctx's deadline, whichever comes first. fasthttp cannot abandon a request
// in flight, so a ctx cancelled without a deadline is honoured only before
// sending.
func (h *HTTP) Do(ctx context.Context, r *Request) Outcome {
	if err := ctx.Err(); err != nil {
		now := time.Now()
		return Outcome{Class: classify(err), Sent: now, Done: now}
	}
	req := fasthttp.AcquireRequest()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)

	h.proto.CopyTo(req)
	req.Header.Set(HTTPIDHeader, r.ID)
	var ns [20]byte
	req.Header.SetBytesV(HTTPSentNSHeader, strconv.AppendInt(ns[:0], r.Intended.UnixNano(), 10))
	if h.body != nil {
		// Render into the request's own pooled buffer: no allocation once warm.
		req.SwapBody(h.body.appendTo(req.SwapBody(nil)[:0], r.ID, r.Seq))
	}

	sent := time.Now()
	deadline := sent.Add(h.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	err := h.client.DoDeadline(req, resp, deadline)
	done := time.Now()
	if err != nil {
		return Outcome{Class: classify(err), Sent: sent, Done: done}
	}
	status := resp.StatusCode()
	return Outcome{Class: statusClass(status), Status: status, Sent: sent, Done: done}
}

// statusClass counts 1xx-3xx as OK: the target answered and did not refuse.
func statusClass(status int) Class {
	switch {
	case status >= 500:
		return Status5xx
	case status >= 400:
		return Status4xx
	default:
		return OK
	}
}

// Close closes the pooled connections. Call it once the requests in flight
// have returned: a connection still in use is not closed.
func (h *HTTP) Close() error {
	h.client.CloseIdleConnections()
	return nil
}
