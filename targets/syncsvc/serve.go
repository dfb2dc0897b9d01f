package syncsvc

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/rawconn"
)

const (
	// shutdownGrace is how long requests in flight may take to finish once
	// a server is told to stop.
	shutdownGrace = time.Second

	// cutWait bounds the wait for handlers to return once they are cut.
	cutWait = time.Second
)

// listen opens addr, "127.0.0.1:0" when empty, and tells ready (if not nil)
// the address it got.
func listen(addr string, ready func(addr string)) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := rawconn.Listen("tcp", addr) // cheaper per request: see internal/rawconn
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	return ln, nil
}

// serve runs srv on ln until ctx is done, then shuts it down: requests in
// flight get shutdownGrace to finish; after that cut is called, for the
// handlers to give up their work, and the connections still open are closed.
// It returns once they are, or after cutWait more. cut is called in any case.
func serve(ctx context.Context, srv *fasthttp.Server, ln net.Listener, cut context.CancelFunc) error {
	defer cut()
	conns := &connSet{m: map[net.Conn]struct{}{}, empty: make(chan struct{})}
	srv.ConnState = conns.track
	logger := &cutLogger{}
	srv.Logger = logger
	srv.SecureErrorLogMessage = true // the log of a malformed request then leaves out its bytes

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		if err == nil {
			err = errors.New("listener closed")
		}
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	grace, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := srv.ShutdownWithContext(grace)
	// Shutdown skips a listener Serve has not taken yet; closing it here
	// makes Serve return in any case.
	ln.Close() // already closed, or useless: the error is of no interest
	if errors.Is(err, context.DeadlineExceeded) {
		cut()
		logger.quiet.Store(true) // writes to the connections closed here fail
		conns.closeAll()
		select {
		case <-conns.empty:
		case <-time.After(cutWait):
		}
		err = nil
	}
	if serr := <-served; err == nil && serr != nil {
		err = fmt.Errorf("serve: %w", serr)
	}
	return err
}

// cutLogger is fasthttp's logger, standard log to stderr, made quiet once
// serve closes connections itself.
type cutLogger struct{ quiet atomic.Bool }

func (l *cutLogger) Printf(format string, args ...any) {
	if !l.quiet.Load() {
		log.Printf(format, args...)
	}
}

// connSet tracks a server's open connections, so they can be closed when
// the grace period is over.
type connSet struct {
	mu     sync.Mutex
	m      map[net.Conn]struct{}
	closed bool          // closeAll was called
	empty  chan struct{} // closed once closeAll was called and m is empty
}

func (s *connSet) track(c net.Conn, state fasthttp.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch state {
	case fasthttp.StateNew:
		s.m[c] = struct{}{}
	case fasthttp.StateClosed, fasthttp.StateHijacked:
		delete(s.m, c)
		s.signal()
	}
}

func (s *connSet) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.m {
		c.Close() // the error is of no use: the connection is being dropped
	}
	s.closed = true
	s.signal()
}

// signal closes empty when closeAll was called and no connection is left.
// The caller holds mu.
func (s *connSet) signal() {
	if s.closed && len(s.m) == 0 {
		select {
		case <-s.empty:
		default:
			close(s.empty)
		}
	}
}
