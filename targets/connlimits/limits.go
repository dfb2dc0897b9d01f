// Package connlimits holds the limits every HTTP server under test puts on
// its connections, with their defaults, so that a client that sends slowly
// or not at all (a slowloris: one header byte a second), or that opens
// connections without end, cannot hold a server's connections, goroutines
// and memory for as long as it likes.
package connlimits

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/valyala/fasthttp"
)

// The defaults of Limits.
const (
	DefaultReadTimeout  = 5 * time.Second
	DefaultWriteTimeout = 5 * time.Second
	DefaultIdleTimeout  = time.Minute
	DefaultMaxConns     = 10_000
)

// Limits bounds a server's connections. A zero field takes the default it
// states.
type Limits struct {
	// ReadTimeout bounds the reading of one request, headers and body:
	// from the accept for a connection's first request, from its first
	// byte for later ones. fasthttp has no timeout for the headers alone;
	// the requests here are small (the async edge takes 64 KB by
	// default), so one bound serves both. A request not read in time is
	// answered 408 and its connection closed. Default 5s.
	ReadTimeout time.Duration

	// WriteTimeout bounds the writing of one response, from the handler's
	// return: a client that does not read its answers is let go.
	// Default 5s.
	WriteTimeout time.Duration

	// IdleTimeout bounds the wait for a keep-alive connection's next
	// request. Default 60s: longer than the 4 s after which loadgen and
	// the sync edge drop an idle connection themselves, so that a server
	// never closes one they are about to use (they would count a reset).
	IdleTimeout time.Duration

	// MaxConns caps the connections served at once; one more is answered
	// 503 and closed. Default 10000, a profile's default max_in_flight:
	// loadgen opens a connection for each request in flight.
	MaxConns int
}

// Validate reports every negative field at once.
func (l Limits) Validate() error {
	var errs []error
	for _, d := range []struct {
		name string
		d    time.Duration
	}{{"read timeout", l.ReadTimeout}, {"write timeout", l.WriteTimeout}, {"idle timeout", l.IdleTimeout}} {
		if d.d < 0 {
			errs = append(errs, fmt.Errorf("%s %v: must not be negative", d.name, d.d))
		}
	}
	if l.MaxConns < 0 {
		errs = append(errs, fmt.Errorf("max conns %d: must not be negative", l.MaxConns))
	}
	return errors.Join(errs...)
}

// Apply sets the limits, defaults for zero fields, on srv before it serves.
func (l Limits) Apply(srv *fasthttp.Server) {
	srv.ReadTimeout = cmp.Or(l.ReadTimeout, DefaultReadTimeout)
	srv.WriteTimeout = cmp.Or(l.WriteTimeout, DefaultWriteTimeout)
	srv.IdleTimeout = cmp.Or(l.IdleTimeout, DefaultIdleTimeout)
	srv.Concurrency = cmp.Or(l.MaxConns, DefaultMaxConns)
}
