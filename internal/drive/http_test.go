package drive

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/dataset"
	"github.com/loadchaos/loadgen/internal/wire"
)

// testServer is a local fasthttp server: /status/N answers N, /slow answers
// when the test ends, /close answers and closes the connection, /body
// answers "hello", anything else answers 200 and reports what it received
// on got.
type testServer struct {
	url      string
	got      chan received
	requests atomic.Int64
	conns    atomic.Int64 // connections accepted
}

type received struct {
	method, path, id, sentNS, custom, body string
}

func startServer(t testing.TB) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{url: "http://" + ln.Addr().String(), got: make(chan received, 16)}
	release := make(chan struct{})
	srv := &fasthttp.Server{Handler: func(c *fasthttp.RequestCtx) {
		s.requests.Add(1)
		path := c.Path() // bytes: the benchmark counts the server's allocations too
		switch {
		case string(path) == "/slow":
			<-release
		case string(path) == "/close":
			c.SetConnectionClose()
		case string(path) == "/body":
			c.SetBodyString("hello")
		case bytes.HasPrefix(path, []byte("/status/")):
			code, _ := fasthttp.ParseUint(path[len("/status/"):])
			c.SetStatusCode(code)
		default:
			select {
			case s.got <- received{
				method: string(c.Method()),
				path:   string(path),
				id:     string(c.Request.Header.Peek(wire.HTTPIDHeader)),
				sentNS: string(c.Request.Header.Peek(wire.HTTPSentNSHeader)),
				custom: string(c.Request.Header.Peek("X-Custom")),
				body:   string(c.PostBody()),
			}:
			default: // more requests than the test reads
			}
		}
	}, ConnState: func(_ net.Conn, st fasthttp.ConnState) {
		if st == fasthttp.StateNew {
			s.conns.Add(1)
		}
	}}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		close(release)
		ln.Close()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return s
}

func newHTTP(t testing.TB, cfg HTTPConfig) *HTTP {
	t.Helper()
	h, err := NewHTTP(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// newSender returns a sender of a new driver for cfg, released when the test ends.
func newSender(t testing.TB, cfg HTTPConfig) Sender {
	t.Helper()
	s := newHTTP(t, cfg).NewSender()
	t.Cleanup(s.Release)
	return s
}

func TestHTTPSendsRequest(t *testing.T) {
	ctx := testCtx(t)
	s := startServer(t)
	h := newSender(t, HTTPConfig{
		URL:     s.url + "/work?x=1",
		Method:  "POST",
		Headers: map[string]string{"X-Custom": "yes"},
		Body:    `{"id":"{{id}}","seq":{{seq}}}`,
	})
	intended := time.Unix(1700000000, 123456789)
	o := h.Do(ctx, &Request{Seq: 42, ID: "r-42", Intended: intended})
	if o.Class != OK || o.Status != 200 {
		t.Fatalf("outcome %v %d, want ok 200", o.Class, o.Status)
	}
	if o.Sent.IsZero() || o.Done.Before(o.Sent) {
		t.Errorf("sent %v, done %v: want sent set and done after it", o.Sent, o.Done)
	}
	want := received{
		method: "POST",
		path:   "/work",
		id:     "r-42",
		sentNS: "1700000000123456789",
		custom: "yes",
		body:   `{"id":"r-42","seq":42}`,
	}
	select {
	case got := <-s.got:
		if got != want {
			t.Errorf("server received %+v, want %+v", got, want)
		}
	case <-ctx.Done():
		t.Fatal("server received nothing")
	}
}

// TestHTTPConcurrent runs many senders of one driver at once, for the race
// detector: they share the prototype request and the body template.
func TestHTTPConcurrent(t *testing.T) {
	ctx := testCtx(t)
	s := startServer(t)
	h := newHTTP(t, HTTPConfig{URL: s.url + "/status/200", Body: "{{id}}"})
	var wg sync.WaitGroup
	classes := make([]Class, 32*10)
	for g := range 32 {
		wg.Go(func() {
			sender := h.NewSender()
			defer sender.Release()
			for i := range 10 {
				n := g*10 + i
				classes[n] = sender.Do(ctx, &Request{Seq: uint64(n), ID: strconv.Itoa(n), Intended: time.Now()}).Class
			}
		})
	}
	wg.Wait()
	for n, c := range classes {
		if c != OK {
			t.Errorf("request %d: outcome %v, want ok", n, c)
		}
	}
}

func TestHTTPSenderKeepsItsConnection(t *testing.T) {
	ctx := testCtx(t)
	s := startServer(t)
	h := newSender(t, HTTPConfig{URL: s.url + "/status/200"})
	for i := range 5 {
		if o := h.Do(ctx, &Request{Seq: uint64(i), ID: "k", Intended: time.Now()}); o.Class != OK {
			t.Fatalf("request %d: outcome %v, want ok", i, o.Class)
		}
	}
	if n := s.conns.Load(); n != 1 {
		t.Errorf("5 requests used %d connections, want 1 kept alive", n)
	}

	// A server that closes after answering gets a new connection each time.
	closing := newSender(t, HTTPConfig{URL: s.url + "/close"})
	for i := range 3 {
		if o := closing.Do(ctx, &Request{Seq: uint64(i), ID: "c", Intended: time.Now()}); o.Class != OK {
			t.Fatalf("request %d to /close: outcome %v, want ok", i, o.Class)
		}
	}
	if n := s.conns.Load(); n != 1+3 {
		t.Errorf("3 requests to /close opened %d connections, want 3", n-1)
	}

	// An answer to HEAD announces the body's length but carries no body:
	// the sender must not wait for one.
	head := newSender(t, HTTPConfig{URL: s.url + "/body", Method: "HEAD", Timeout: 2 * time.Second})
	for i := range 2 {
		if o := head.Do(ctx, &Request{Seq: uint64(i), ID: "h", Intended: time.Now()}); o.Class != OK {
			t.Fatalf("HEAD %d: outcome %v, want ok", i, o.Class)
		}
	}
}

// TestHTTPDeadlineFollowsTheRequests: the connection's deadline moves
// only now and then, but every request gets its full timeout, however long
// the connection has been in use.
func TestHTTPDeadlineFollowsTheRequests(t *testing.T) {
	ctx := testCtx(t)
	s := startServer(t)
	h := newSender(t, HTTPConfig{URL: s.url + "/status/200", Timeout: 100 * time.Millisecond})
	start := time.Now()
	for i := 0; time.Since(start) < 500*time.Millisecond; i++ {
		if o := h.Do(ctx, &Request{Seq: uint64(i), ID: "d", Intended: time.Now()}); o.Class != OK {
			t.Fatalf("request %d, %v into the connection: outcome %v, want ok", i, time.Since(start), o.Class)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestHTTPStatus(t *testing.T) {
	ctx := testCtx(t)
	s := startServer(t)
	tests := []struct {
		status int
		want   Class
	}{
		{200, OK},        // success
		{204, OK},        // success without a body
		{302, OK},        // not followed, but the target answered
		{404, Status4xx}, // client error
		{429, Status4xx}, // rate limited is still 4xx
		{503, Status5xx}, // server error
	}
	for _, tt := range tests {
		h := newSender(t, HTTPConfig{URL: s.url + "/status/" + strconv.Itoa(tt.status)})
		o := h.Do(ctx, &Request{ID: "x", Intended: time.Now()})
		if o.Class != tt.want || o.Status != tt.status {
			t.Errorf("status %d: outcome %v %d, want %v %d", tt.status, o.Class, o.Status, tt.want, tt.status)
		}
	}
}

func TestHTTPErrors(t *testing.T) {
	ctx := testCtx(t)
	s := startServer(t)

	slow := newSender(t, HTTPConfig{URL: s.url + "/slow", Timeout: 100 * time.Millisecond})
	if o := slow.Do(ctx, &Request{ID: "x", Intended: time.Now()}); o.Class != Timeout || o.Done.Sub(o.Sent) < 100*time.Millisecond {
		t.Errorf("slow server: outcome %v after %v, want timeout after 100ms", o.Class, o.Done.Sub(o.Sent))
	}

	// The caller's deadline, shorter than the request timeout, is honoured.
	slowCtx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	patient := newSender(t, HTTPConfig{URL: s.url + "/slow"})
	if o := patient.Do(slowCtx, &Request{ID: "x", Intended: time.Now()}); o.Class != Timeout {
		t.Errorf("slow server, ctx deadline: outcome %v, want timeout", o.Class)
	}

	refused := newSender(t, HTTPConfig{URL: "http://" + closedAddr(t) + "/"})
	if o := refused.Do(ctx, &Request{ID: "x", Intended: time.Now()}); o.Class != Refused {
		t.Errorf("closed port: outcome %v, want refused", o.Class)
	}

	hangUp := newSender(t, HTTPConfig{URL: "http://" + startHangUp(t) + "/"})
	if o := hangUp.Do(ctx, &Request{ID: "x", Intended: time.Now()}); o.Class != Reset {
		t.Errorf("server hangs up: outcome %v, want reset", o.Class)
	}
}

// TestHTTPSSpeaksTLS: an https target gets a TLS handshake. This one's
// certificate is its own, which the system does not trust: the request is
// a TLS error, quickly, and the server never sees plain HTTP.
func TestHTTPSSpeaksTLS(t *testing.T) {
	ctx := testCtx(t)
	var plain atomic.Int64
	srv := startTLSServer(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { plain.Add(1) }))
	h := newSender(t, HTTPConfig{URL: srv.URL + "/", Timeout: 5 * time.Second})
	o := h.Do(ctx, &Request{ID: "tls", Intended: time.Now()})
	if o.Class != TLS || o.Done.Sub(o.Sent) > time.Second {
		t.Errorf("https with an untrusted certificate: outcome %v after %v, want tls, at once", o.Class, o.Done.Sub(o.Sent))
	}
	if n := plain.Load(); n != 0 {
		t.Errorf("the server handled %d requests, want none", n)
	}
}

// TestHTTPSTrusted: with the certificate trusted, requests go through, over
// one connection.
func TestHTTPSTrusted(t *testing.T) {
	ctx := testCtx(t)
	var served atomic.Int64
	srv := startTLSServer(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { served.Add(1) }))
	h := newHTTP(t, HTTPConfig{URL: srv.URL + "/", Timeout: 5 * time.Second})
	trust(h, srv)
	if err := h.Check(ctx); err != nil {
		t.Fatalf("Check with the certificate trusted = %v", err)
	}
	s := h.NewSender()
	defer s.Release()
	for i := range 3 {
		if o := s.Do(ctx, &Request{Seq: uint64(i), ID: "trusted", Intended: time.Now()}); o.Class != OK || o.Status != 200 {
			t.Fatalf("request %d: outcome %v %d, want ok 200", i, o.Class, o.Status)
		}
	}
	if n := served.Load(); n != 3 {
		t.Errorf("the server handled %d requests, want 3", n)
	}
}

// TestHTTPSCheckNamesTheProblem: Check fails on the handshake, naming the
// target's host:port and the problem in words of its own: the whole message
// is compared, so nothing of the certificate (its names: example.com, its
// organisation: Acme Co) or of the plain server's answer is repeated.
func TestHTTPSCheckNamesTheProblem(t *testing.T) {
	ctx := testCtx(t)
	srv := startTLSServer(t, http.NotFoundHandler())
	plainAddr := startAnswering(t, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
	tests := []struct {
		name    string
		url     string
		setup   func(h *HTTP)
		problem string
		is      any // a pointer to the error type errors.As must find
	}{
		// Self-signed: no authority this machine knows signed it.
		{"untrusted", srv.URL + "/", func(*HTTP) {}, "certificate signed by unknown authority", new(x509.UnknownAuthorityError)},
		// Trusted, but issued for other names than the one asked for.
		{"wrong name", srv.URL + "/", func(h *HTTP) { trust(h, srv); h.tls.ServerName = "other.test" },
			"certificate is not valid for other.test", new(x509.HostnameError)},
		// A plain HTTP server where https was asked for.
		{"plain http", "https://" + plainAddr + "/", func(*HTTP) {}, "the target does not speak TLS", new(tls.RecordHeaderError)},
	}
	for _, tt := range tests {
		h := newHTTP(t, HTTPConfig{URL: tt.url})
		tt.setup(h)
		err := h.Check(ctx)
		host := strings.TrimSuffix(strings.TrimPrefix(tt.url, "https://"), "/")
		want := "cannot reach " + tt.url + ": TLS handshake with " + host + ": " + tt.problem
		if err == nil || err.Error() != want {
			t.Errorf("%s: Check = %v, want %s", tt.name, err, want)
			continue
		}
		if !errors.As(err, tt.is) {
			t.Errorf("%s: Check = %v, does not wrap %T", tt.name, err, tt.is)
		}
		if classify(err) != TLS {
			t.Errorf("%s: classified %v, want tls", tt.name, classify(err))
		}
	}
}

// startTLSServer starts an httptest TLS server whose handshake errors are
// not logged (they are the point), closed when the test ends. The log is set
// before the server starts: it reads it as it serves.
func startTLSServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// trust makes h trust srv's certificate, before h sends anything.
func trust(h *HTTP, srv *httptest.Server) {
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	h.tls.RootCAs = pool
}

// startHangUp starts a TCP server that reads a request and closes the
// connection without answering.
func startHangUp(t *testing.T) string { return startAnswering(t, "") }

// startAnswering starts a TCP server that reads a request, writes answer
// whatever it was, and closes the connection.
func startAnswering(t *testing.T, answer string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 4096)
			c.Read(buf)               //nolint:errcheck // any outcome is followed by the close under test
			io.WriteString(c, answer) //nolint:errcheck // as above
			c.Close()
		}
	}()
	return ln.Addr().String()
}

func TestHTTPDoneContext(t *testing.T) {
	s := startServer(t)
	h := newSender(t, HTTPConfig{URL: s.url + "/"})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if o := h.Do(ctx, &Request{ID: "x", Intended: time.Now()}); o.Class != Other {
		t.Errorf("cancelled ctx: outcome %v, want other", o.Class)
	}
	if n := s.requests.Load(); n != 0 {
		t.Errorf("server received %d requests, want none", n)
	}
}

func TestHTTPCheck(t *testing.T) {
	ctx := testCtx(t)
	url := "http://" + closedAddr(t) + "/"
	err := newHTTP(t, HTTPConfig{URL: url}).Check(ctx)
	if err == nil || !strings.HasPrefix(err.Error(), "cannot reach "+url+": dial tcp ") || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("closed port: Check = %v, want cannot reach %s: dial tcp ...: connection refused", err, url)
	}

	s := startServer(t)
	if err := newHTTP(t, HTTPConfig{URL: s.url + "/"}).Check(ctx); err != nil {
		t.Errorf("live server: Check = %v", err)
	}
	if n := s.requests.Load(); n != 0 {
		t.Errorf("Check sent %d HTTP requests, want none", n)
	}
}

func TestNewHTTPInvalid(t *testing.T) {
	tests := []struct {
		cfg  HTTPConfig
		want []string // each must appear in the error
	}{
		{HTTPConfig{}, []string{"scheme must be http or https"}},                                    // no URL at all
		{HTTPConfig{URL: "ftp://host/x"}, []string{`"ftp://host/x": scheme must be http or https`}}, // wrong scheme
		{HTTPConfig{URL: "http:///x"}, []string{"no host"}},                                         // no host
		{HTTPConfig{URL: "http://h/", Timeout: -1, Body: "{{ID}}"}, []string{"timeout", "{{ID}}"}},  // every problem at once
	}
	for _, tt := range tests {
		_, err := NewHTTP(tt.cfg)
		for _, w := range tt.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("NewHTTP(%+v) = %v, want an error containing %q", tt.cfg, err, w)
			}
		}
	}
}

// BenchmarkHTTPDo sends requests one after another over one keep-alive
// connection; allocs/op includes the in-process server's, which allocates
// nothing on /status/200.
func BenchmarkHTTPDo(b *testing.B) {
	s := startServer(b)
	h := newSender(b, HTTPConfig{
		URL:     s.url + "/status/200",
		Method:  "POST",
		Headers: map[string]string{"Content-Type": "application/json"},
		Body:    `{"id":"{{id}}","seq":{{seq}}}`,
	})
	sendEach(b, h, nil)
}

// sendEach sends one request per benchmark iteration, the next seq each
// time, of the kind mix draws for it (nil: the one kind).
func sendEach(b *testing.B, h Sender, mix *Mix) {
	ctx := b.Context()
	req := &Request{ID: "bench-id-0001", Intended: time.Now()}
	b.ReportAllocs()
	for b.Loop() {
		req.Seq++
		if mix != nil {
			req.Kind = mix.Kind(req.Seq)
		}
		if o := h.Do(ctx, req); o.Class != OK {
			b.Fatalf("outcome %v", o.Class)
		}
	}
}

// BenchmarkHTTPDoTemplate is BenchmarkHTTPDo with every placeholder kind
// in the body, its row drawn at random from a data file: rendering, like
// sending, allocates nothing.
func BenchmarkHTTPDoTemplate(b *testing.B) {
	s := startServer(b)
	users := csvTable(b, "user_id,name\nu0,ann\nu1,\"Doe, J\"\nu2,bob\n")
	h := newSender(b, HTTPConfig{
		URL:     s.url + "/status/200",
		Method:  "POST",
		Headers: map[string]string{"Content-Type": "application/json"},
		Body: `{"id":"{{id}}","seq":{{seq}},"key":"{{uuid}}","at":"{{now}}","n":{{randint 1 100}},` +
			`"user":"{{data.user_id}}","name":"{{data.name}}"}`,
		Values: Values{Seed: 42, Data: users, Order: dataset.Random},
	})
	sendEach(b, h, nil)
}

// TestHTTPSBrokenConnectionIsNotTLS: a server that hangs up during the
// handshake broke the connection; nothing says TLS failed.
func TestHTTPSBrokenConnectionIsNotTLS(t *testing.T) {
	ctx := testCtx(t)
	url := "https://" + startHangUp(t) + "/"
	if o := newSender(t, HTTPConfig{URL: url}).Do(ctx, &Request{ID: "x", Intended: time.Now()}); o.Class != Reset {
		t.Errorf("hang-up in the handshake: outcome %v, want reset", o.Class)
	}
	var te *tlsError
	if err := newHTTP(t, HTTPConfig{URL: url}).Check(ctx); err == nil || errors.As(err, &te) {
		t.Errorf("hang-up in the handshake: Check = %v, want a network error", err)
	}
}

// TestHTTPSTakesItsTLSConfig: the driver copies the config it is given,
// filling in the URL's host as the name to verify unless it names one.
func TestHTTPSTakesItsTLSConfig(t *testing.T) {
	pool := x509.NewCertPool()
	given := &tls.Config{RootCAs: pool}
	h := newHTTP(t, HTTPConfig{URL: "https://127.0.0.1:1/", TLS: given})
	if h.tls.RootCAs != pool || h.tls.ServerName != "127.0.0.1" || given.ServerName != "" {
		t.Errorf("tls config: CAs kept %v, server name %q, given one changed to %q; want the CAs, 127.0.0.1 and no change",
			h.tls.RootCAs == pool, h.tls.ServerName, given.ServerName)
	}
	h = newHTTP(t, HTTPConfig{URL: "https://127.0.0.1:1/", TLS: &tls.Config{ServerName: "svc.test"}})
	if h.tls.ServerName != "svc.test" {
		t.Errorf("server name %q, want the config's svc.test", h.tls.ServerName)
	}
	if h = newHTTP(t, HTTPConfig{URL: "http://127.0.0.1:1/", TLS: given}); h.tls != nil {
		t.Error("an http target got a TLS config")
	}
}

// TestHTTPSCheckHearsAClientCertificateRefused: under TLS 1.3 a server
// refuses a missing client certificate only after the client's handshake
// has ended; Check waits for that verdict, so the run stops before it
// starts. A server that only asks for one lets Check pass.
func TestHTTPSCheckHearsAClientCertificateRefused(t *testing.T) {
	ctx := testCtx(t)
	for _, tt := range []struct {
		auth tls.ClientAuthType
		want string // in Check's error; "" for none
	}{
		{tls.RequireAnyClientCert, "the target refused the handshake: tls: certificate required"},
		{tls.RequestClientCert, ""},
	} {
		srv := httptest.NewUnstartedServer(http.NotFoundHandler())
		srv.Config.ErrorLog = log.New(io.Discard, "", 0)
		srv.TLS = &tls.Config{ClientAuth: tt.auth}
		srv.StartTLS()
		t.Cleanup(srv.Close)
		h := newHTTP(t, HTTPConfig{URL: srv.URL + "/"})
		trust(h, srv)
		err := h.Check(ctx)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("client auth %v: Check = %v, want nil", tt.auth, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || classify(err) != TLS):
			t.Errorf("client auth %v: Check = %v, want a tls error with %q", tt.auth, err, tt.want)
		}
	}
}
