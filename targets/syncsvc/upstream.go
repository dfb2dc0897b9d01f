package syncsvc

import (
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/rawconn"
	"github.com/loadchaos/loadgen/internal/wire"
)

const (
	// upstreamMaxConns caps the keep-alive pool to one backend: well above
	// what a backend admits (Concurrency+Queue), so a full pool means that
	// backend is saturated.
	upstreamMaxConns = 512

	// upstreamIdleTimeout closes pooled connections idle this long.
	upstreamIdleTimeout = 4 * time.Second
)

// upstream is a keep-alive connection pool to one backend.
type upstream struct {
	addr string // host:port
	hc   *fasthttp.HostClient
}

func newUpstream(addr string, tls bool) *upstream {
	return &upstream{addr: addr, hc: &fasthttp.HostClient{
		Addr:                addr,
		IsTLS:               tls,
		Name:                "loadgen-syncsvc",
		MaxConns:            upstreamMaxConns,
		MaxIdleConnDuration: upstreamIdleTimeout,
		DialTimeout:         rawconn.Dial, // cheaper per request: see internal/rawconn
		// fasthttp's own retries are off: do decides what is tried again.
		MaxIdemponentCallAttempts: 1,
	}}
}

// do sends req to the backend and reads its answer into resp by deadline.
//
// A pooled connection whose backend process has since died or been restarted
// fails with a reset before any answer, and its idle siblings are just as
// dead: do then closes the pool's idle connections and tries once more on a
// new connection, so that a restarted backend is used again at once and a
// dead one is found refusing. A process that resets a connection before
// answering either never read the request or died with it, so a live
// process does not run the request twice.
func (u *upstream) do(req *fasthttp.Request, resp *fasthttp.Response, deadline time.Time) error {
	req.Header.SetHost(u.addr)
	err := u.hc.DoDeadline(req, resp, deadline)
	if isReset(err) {
		u.hc.CloseIdleConnections()
		err = u.hc.DoDeadline(req, resp, deadline)
	}
	return err
}

// isUnreachable tells a connection that could not be made (refused, most
// often: nothing listens there), so nothing ran. A dial that ran out of
// time is a timeout too: check isTimeout first.
func isUnreachable(err error) bool {
	_, ok := errors.AsType[*fasthttp.ErrDialWithUpstream](err)
	return ok || errors.Is(err, syscall.ECONNREFUSED)
}

// isReset tells a connection that ended before the first byte of an answer.
func isReset(err error) bool {
	return errors.Is(err, fasthttp.ErrConnectionClosed) ||
		errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE)
}

// isTimeout tells a request that ran out of its deadline.
func isTimeout(err error) bool {
	if errors.Is(err, fasthttp.ErrTimeout) ||
		errors.Is(err, fasthttp.ErrDialTimeout) ||
		errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// copyWork fills req, to be sent to a backend, from the request c received:
// the method, path /work, the body and its Content-Type, and the identity
// headers. The body is shared with c, so req must be done with before c.
func copyWork(req *fasthttp.Request, c *fasthttp.RequestCtx, path string) {
	req.Header.SetMethodBytes(c.Method())
	req.SetRequestURI(path)
	req.SetBodyRaw(c.PostBody())
	if ct := c.Request.Header.ContentType(); len(ct) > 0 {
		req.Header.SetContentTypeBytes(ct)
	}
	for _, h := range [...]string{wire.HTTPIDHeader, wire.HTTPSentNSHeader} {
		if v := c.Request.Header.Peek(h); v != nil {
			req.Header.SetBytesV(h, v)
		}
	}
}
