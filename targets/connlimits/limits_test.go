package connlimits

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/rawconn"
	"github.com/loadchaos/loadgen/targets/connlimits/connlimitstest"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		l    Limits
		want []string // parts of the error, all of them; none for valid limits
	}{
		{Limits{}, nil}, // the defaults throughout
		{Limits{ReadTimeout: time.Millisecond, WriteTimeout: time.Second, IdleTimeout: time.Hour, MaxConns: 1}, nil}, // each set
		{Limits{ReadTimeout: -1}, []string{"read timeout -1ns"}},                                                     // negative
		{Limits{WriteTimeout: -time.Second, IdleTimeout: -time.Second, MaxConns: -1}, // every error at once
			[]string{"write timeout -1s", "idle timeout -1s", "max conns -1"}},
	} {
		err := tc.l.Validate()
		if len(tc.want) == 0 {
			if err != nil {
				t.Errorf("%+v: %v", tc.l, err)
			}
			continue
		}
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%+v: error %v, want it to say %q", tc.l, err, w)
			}
		}
	}
}

func TestApplyFillsDefaults(t *testing.T) {
	var srv fasthttp.Server
	Limits{ReadTimeout: time.Second}.Apply(&srv)
	if srv.ReadTimeout != time.Second || srv.WriteTimeout != DefaultWriteTimeout || srv.IdleTimeout != DefaultIdleTimeout || srv.Concurrency != DefaultMaxConns {
		t.Errorf("applied read %v, write %v, idle %v, conns %d; want 1s and the defaults",
			srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout, srv.Concurrency)
	}
}

// serve runs a server with limits l on a raw-connection listener, as the
// targets do, until the test ends, and returns its address.
func serve(t *testing.T, l Limits) string {
	t.Helper()
	ln, err := rawconn.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: func(*fasthttp.RequestCtx) {}, Logger: quiet{}}
	l.Apply(srv)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ln.Close()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// quiet drops fasthttp's log: the errors the tests provoke are expected.
type quiet struct{}

func (quiet) Printf(string, ...any) {}

// TestSlowlorisIsCutAtTheReadTimeout: a client sending a header byte every
// 100 ms would keep a connection for ever; the read timeout ends it.
func TestSlowlorisIsCutAtTheReadTimeout(t *testing.T) {
	const readTimeout = 300 * time.Millisecond
	addr := serve(t, Limits{ReadTimeout: readTimeout})
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	open, err := connlimitstest.Slowloris(ctx, addr, 100*time.Millisecond)
	if err != nil {
		t.Fatalf("slowloris: %v; want the connection closed after %v", err, readTimeout)
	}
	if open < readTimeout {
		t.Errorf("closed after %v, before the read timeout of %v", open, readTimeout)
	}
}

// TestConnectionOverTheCapIsRejected: with MaxConns connections open, one
// more is answered 503 and closed at once.
func TestConnectionOverTheCapIsRejected(t *testing.T) {
	addr := serve(t, Limits{MaxConns: 2})
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	release, err := connlimitstest.Hold(ctx, addr, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	line, err := connlimitstest.Rejected(ctx, addr)
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 503 ") {
		t.Fatalf("a third connection: %q, %v; want 503 and closed", line, err)
	}
}
