package drive

import (
	"bufio"
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/rawconn"
	"github.com/loadchaos/loadgen/internal/wire"
)

// HTTPConfig configures an HTTP driver. A zero field takes the default it
// states.
type HTTPConfig struct {
	URL     string            // the target, such as http://127.0.0.1:8080/work; http or https
	Method  string            // default GET
	Headers map[string]string // sent on every request; set Content-Type here when there is a Body
	Body    string            // a template (see package placeholder), rendered per request; default none
	Values  Values            // what Body's placeholders draw on besides the request
	Timeout time.Duration     // per request, connecting included, plus up to 5% (250 ms at most); default 10s
	// TLS is how an https target is checked and told who loadgen is,
	// copied; its ServerName defaults to the URL's host. Default: the
	// system's CAs, no client certificate.
	TLS *tls.Config
	// Requests are the kinds of request a mix sends, Request.Kind choosing
	// one; each replaces Method, Headers and Body. Default: one kind, of
	// Method, Headers and Body.
	Requests []HTTPRequest
}

// HTTPRequest is one kind of request of a mix.
type HTTPRequest struct {
	Method  string            // default GET
	Path    string            // appended to the URL's path; default none
	Headers map[string]string // sent with it
	Body    string            // as HTTPConfig.Body
}

const (
	defaultHTTPTimeout = 10 * time.Second

	// idleConnTimeout closes a connection idle this long before its next
	// request, below the 5 s keep-alive timeout of common servers (Node.js),
	// so that a connection the server has already closed is not used and
	// then counted as a Reset.
	idleConnTimeout = 4 * time.Second

	// checkDialTimeout bounds Check when ctx allows longer.
	checkDialTimeout = 5 * time.Second

	connBufferSize = 4096
)

// The identity headers' keys, canonical already.
var idHeaderKey, sentNSHeaderKey, keyHeaderKey = []byte(wire.HTTPIDHeader), []byte(wire.HTTPSentNSHeader), []byte(wire.HTTPKeyHeader)

// HTTP sends requests to one host with fasthttp's request writer and
// response reader, each worker over a keep-alive connection of its own (see
// NewSender).
//
// A request is sent once, never retried: a retry would reach the target
// twice under one Loadgen-Id and hide the error that caused it.
type HTTP struct {
	url     string
	addr    string      // host:port
	tls     *tls.Config // nil for http
	timeout time.Duration
	kinds   []httpKind // at least one; Request.Kind picks
}

// httpKind is one kind of request, prepared once.
type httpKind struct {
	proto *fasthttp.Request // method, URI and headers, copied into each sender's request
	body  *template         // nil when there is no body
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
	requests := cfg.Requests
	if len(requests) == 0 {
		requests = []HTTPRequest{{Method: cfg.Method, Headers: cfg.Headers, Body: cfg.Body}}
	}
	kinds := make([]httpKind, len(requests))
	for i, r := range requests {
		if r.Body != "" {
			if kinds[i].body, err = parseTemplate(r.Body, cfg.Values); err != nil {
				if len(cfg.Requests) > 0 {
					err = fmt.Errorf("request %d: %w", i, err)
				}
				errs = append(errs, err)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	h := &HTTP{
		url:     cfg.URL,
		addr:    net.JoinHostPort(u.Hostname(), port),
		timeout: cmp.Or(cfg.Timeout, defaultHTTPTimeout),
		kinds:   kinds,
	}
	if u.Scheme == "https" {
		h.tls = &tls.Config{}
		if cfg.TLS != nil {
			h.tls = cfg.TLS.Clone()
		}
		h.tls.ServerName = cmp.Or(h.tls.ServerName, u.Hostname())
	}
	for i, r := range requests {
		uri := cfg.URL
		if r.Path != "" {
			uri = strings.TrimSuffix(cfg.URL, "/") + r.Path
		}
		h.kinds[i].proto = newPrototype(uri, r)
	}
	return h, nil
}

// newPrototype prepares a kind's request to uri.
func newPrototype(uri string, r HTTPRequest) *fasthttp.Request {
	proto := &fasthttp.Request{}
	proto.SetRequestURI(uri)
	proto.URI() // parse now: concurrent CopyTo then only reads the prototype
	proto.Header.SetMethod(cmp.Or(r.Method, fasthttp.MethodGet))
	proto.Header.SetUserAgent("loadgen")
	for k, v := range r.Headers {
		proto.Header.Set(k, v)
	}
	return proto
}

// Check connects to the target as a sender would, within 5 s and ctx, and
// hangs up: a TCP connect and, for https, the TLS handshake, so that a target
// that refuses or whose certificate is not trusted stops the run before it
// starts. It sends no HTTP request, so it neither counts nor triggers work on
// the target.
func (h *HTTP) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, checkDialTimeout)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", h.addr)
	if err != nil {
		return fmt.Errorf("cannot reach %s: %w", h.url, err)
	}
	if h.tls != nil {
		if err := checkHandshake(ctx, c, h.tls, h.addr); err != nil {
			c.Close()
			return fmt.Errorf("cannot reach %s: %w", h.url, err)
		}
	}
	return c.Close()
}

// NewSender returns a sender with a connection of its own, dialled at its
// first request. A worker sends one request at a time, so it needs no
// shared pool: fasthttp's HostClient takes a lock, a pooled connection and
// its buffers, and sets two deadlines for every request, which costs CPU
// per request closed-loop (bench/RESULTS.md, bench/compare.sh closed).
func (h *HTTP) NewSender() Sender {
	return &httpSender{h: h, reqs: make([]*fasthttp.Request, len(h.kinds))}
}

// Close has nothing to close: each sender closes its connection on Release.
func (h *HTTP) Close() error { return nil }

// httpSender is one worker's sender: its connection, buffers, and the
// request it rewrites for each send.
type httpSender struct {
	h        *HTTP
	conn     net.Conn  // nil before the first request and after a failed one
	deadline time.Time // the connection's read and write deadline
	br       *bufio.Reader
	bw       *bufio.Writer
	lastUsed time.Time
	// reqs holds a request per kind, copied from its prototype at its
	// first use and rewritten for each send of that kind; req is the one
	// being sent.
	reqs []*fasthttp.Request
	req  *fasthttp.Request
	resp fasthttp.Response
	id   []byte // the request's id, as the header wants it
}

// Do sends one request and waits for its answer until the request timeout
// or ctx's deadline, whichever comes first. A ctx cancelled without a
// deadline is honoured only before sending.
func (s *httpSender) Do(ctx context.Context, r *Request) Outcome {
	if err := ctx.Err(); err != nil {
		now := time.Now()
		return Outcome{Class: classify(err), Sent: now, Done: now}
	}
	kind := &s.h.kinds[r.Kind]
	if s.reqs[r.Kind] == nil {
		s.reqs[r.Kind] = &fasthttp.Request{}
		kind.proto.CopyTo(s.reqs[r.Kind])
	}
	s.req = s.reqs[r.Kind]
	s.resp.SkipBody = s.req.Header.IsHead()
	// Canonical keys, set as they are: no key normalisation per request.
	s.id = append(s.id[:0], r.ID...)
	s.req.Header.SetCanonical(idHeaderKey, s.id)
	var ns [20]byte
	s.req.Header.SetCanonical(sentNSHeaderKey, strconv.AppendInt(ns[:0], r.Intended.UnixNano(), 10))
	if r.Key != "" {
		s.req.Header.SetCanonical(keyHeaderKey, []byte(r.Key))
	}
	if kind.body != nil {
		// Render into the request's own buffer: no allocation once warm.
		s.req.SwapBody(kind.body.appendTo(s.req.SwapBody(nil)[:0], r))
	}

	sent := time.Now()
	deadline, exact := sent.Add(s.h.timeout), false
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline, exact = d, true
	}
	err := s.roundTrip(sent, deadline, exact)
	done := time.Now()
	if err != nil {
		s.closeConn()
		return Outcome{Class: classify(err), Sent: sent, Done: done}
	}
	if s.resp.ConnectionClose() {
		s.closeConn()
	}
	s.lastUsed = done
	status := s.resp.StatusCode()
	return Outcome{Class: statusClass(status), Status: status, Sent: sent, Done: done}
}

// roundTrip writes the request and reads the answer by deadline, over the
// kept connection or, when it is missing or has idled too long, a new one.
func (s *httpSender) roundTrip(now, deadline time.Time, exact bool) error {
	if s.conn != nil && now.Sub(s.lastUsed) > idleConnTimeout {
		s.closeConn()
	}
	if s.conn == nil {
		if err := s.dial(now, deadline); err != nil {
			return err
		}
	}
	if err := s.setDeadline(deadline, exact); err != nil {
		return err
	}
	if err := s.req.Write(s.bw); err != nil {
		return err
	}
	if err := s.bw.Flush(); err != nil {
		return err
	}
	return s.resp.Read(s.br)
}

// setDeadline gives the request until deadline, or (unless exact) at most
// deadlineSlack(timeout) more: moving a connection's deadline updates a
// runtime timer, so it moves only when a request needs a later one than the
// connection has, and then by the slack further, not at every request.
func (s *httpSender) setDeadline(deadline time.Time, exact bool) error {
	switch {
	case exact && !s.deadline.Equal(deadline):
		s.deadline = deadline
	case !exact && s.deadline.Before(deadline):
		s.deadline = deadline.Add(deadlineSlack(s.h.timeout))
	default:
		return nil
	}
	return s.conn.SetDeadline(s.deadline)
}

// deadlineSlack is how much longer than its timeout a request may get: a
// twentieth of it, at most 250 ms, well inside the run's drain (timeout + 1 s).
func deadlineSlack(timeout time.Duration) time.Duration {
	return min(timeout/20, 250*time.Millisecond)
}

// dial connects, and for https shakes hands, by deadline.
func (s *httpSender) dial(now, deadline time.Time) error {
	c, err := rawconn.Dial(s.h.addr, deadline.Sub(now))
	if err != nil {
		return err
	}
	s.deadline = time.Time{}
	if s.h.tls != nil {
		if err := c.SetDeadline(deadline); err != nil {
			c.Close()
			return err
		}
		s.deadline = deadline
		tc, err := handshake(context.Background(), c, s.h.tls, s.h.addr)
		if err != nil {
			c.Close()
			return err
		}
		c = tc
	}
	s.conn = c
	if s.br == nil {
		s.br = bufio.NewReaderSize(c, connBufferSize)
		s.bw = bufio.NewWriterSize(c, connBufferSize)
	} else {
		s.br.Reset(c)
		s.bw.Reset(c)
	}
	return nil
}

func (s *httpSender) closeConn() {
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
}

// Release closes the sender's connection.
func (s *httpSender) Release() { s.closeConn() }

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
