package drive

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/wire"
)

func TestHTTPSendsTheOrderingKeyOnlyWhenARequestHasOne(t *testing.T) {
	ctx := testCtx(t)
	keys := make(chan []string, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys <- r.Header.Values(wire.HTTPKeyHeader)
	}))
	t.Cleanup(srv.Close)
	h := newSender(t, HTTPConfig{URL: srv.URL, Method: "POST"})
	for _, c := range []struct {
		req  Request
		want []string
	}{
		{Request{Seq: 9, ID: "r-9", Key: "r-e2", Intended: time.Now()}, []string{"r-e2"}},
		{Request{Seq: 1, ID: "q-1", Intended: time.Now()}, nil},
	} {
		// A fresh sender per case: a sender's requests share one key setting.
		if c.want == nil {
			h = newSender(t, HTTPConfig{URL: srv.URL, Method: "POST"})
		}
		if o := h.Do(ctx, &c.req); o.Class != OK {
			t.Fatalf("%s: outcome %v, want ok", c.req.ID, o.Class)
		}
		if got := <-keys; len(got) != len(c.want) || (len(got) == 1 && got[0] != c.want[0]) {
			t.Errorf("%s: %s %q, want %q", c.req.ID, wire.HTTPKeyHeader, got, c.want)
		}
	}
}
