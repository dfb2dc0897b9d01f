package run

import (
	"bytes"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/report"
	"github.com/loadchaos/loadgen/profiles"
)

// mixProfile is a profile of three kinds of request, weights 5, 3 and 2.
const mixProfile = `version: 1
name: mix
seed: 7
stages:
  - {shape: constant, rate: 400, for: 3s}
http:
  headers: {Content-Type: application/json}
  requests:
    - {name: browse, weight: 5, path: /items}
    - {name: checkout, weight: 3, method: POST, path: /orders, body: '{"order":"{{seq}}"}'}
    - {weight: 2, path: /health}
`

// kindCounter is a target that counts what it receives by method, path
// and body shape.
type kindCounter struct {
	mu     sync.Mutex
	counts map[string]int64
}

func (k *kindCounter) handle(ctx *fasthttp.RequestCtx) {
	kind := string(ctx.Method()) + " " + string(ctx.Path())
	if kind == "POST /orders" && !bytes.HasPrefix(ctx.PostBody(), []byte(`{"order":"`)) {
		kind += " without its body"
	}
	k.mu.Lock()
	k.counts[kind]++
	k.mu.Unlock()
	ctx.SetStatusCode(fasthttp.StatusAccepted)
}

// TestAMixIsSentByWeightAndReportedPerKindInEveryOutput: both paths send
// each kind at about its weight's share, and summary.json, the text and
// HTML reports, the .hlog tags and the Prometheus push all name each kind
// with the figures the target saw.
func TestAMixIsSentByWeightAndReportedPerKindInEveryOutput(t *testing.T) {
	prof, err := profiles.Parse("mix.yaml", []byte(mixProfile))
	if err != nil {
		t.Fatal(err)
	}
	syncTarget, asyncTarget := &kindCounter{counts: map[string]int64{}}, &kindCounter{counts: map[string]int64{}}
	syncURL, _ := serve(t, syncTarget.handle)
	asyncURL, _ := serve(t, asyncTarget.handle)
	gw := &gateway{}
	srv := httptest.NewServer(gw)
	defer srv.Close()
	res := runFor(t, 30*time.Second, Options{Profile: prof, SyncURL: syncURL, AsyncURL: asyncURL + "edge",
		MetricsPush: srv.URL, MetricsPushInterval: time.Minute})

	names := map[string]string{"browse": "GET /items", "checkout": "POST /orders", "GET /health": "GET /health"}
	weights := map[string]float64{"browse": 0.5, "checkout": 0.3, "GET /health": 0.2}
	s, err := bundle.ReadSummary(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	asyncNames := map[string]string{"browse": "GET /edge/items", "checkout": "POST /edge/orders", "GET /health": "GET /edge/health"}
	for _, path := range []struct {
		name     string
		target   *kindCounter
		received map[string]string
		sent     func(string) (sent, ok int64, found bool)
		total    int64
		series   bundle.Series
	}{
		{"sync", syncTarget, names, func(n string) (int64, int64, bool) {
			r, found := s.Sync.Requests[n]
			if !found {
				return 0, 0, false
			}
			return r.Sent, r.OK, true
		}, s.Sync.OK, bundle.SyncSeries},
		{"async", asyncTarget, asyncNames, func(n string) (int64, int64, bool) {
			r, found := s.Async.Requests[n]
			if !found {
				return 0, 0, false
			}
			return r.Sent, r.Accepted, true
		}, s.Async.Accepted, bundle.AcceptSeries},
	} {
		total := path.total
		if total < 1000 {
			t.Fatalf("%s: %d ok of 1200 scheduled; want most", path.name, total)
		}
		if len(path.target.counts) != len(names) {
			t.Errorf("%s: the target received %v, want %d kinds", path.name, path.target.counts, len(names))
		}
		for name, weight := range weights {
			received := path.target.counts[path.received[name]]
			sent, ok, found := path.sent(name)
			if !found || sent != received || ok != received {
				t.Errorf("%s: summary.json's requests[%s]: sent %d, ok %d (present %v); the target received %d", path.name, name, sent, ok, found, received)
			}
			want, bound := weight*float64(total), 5*math.Sqrt(float64(total)*weight*(1-weight))
			if math.Abs(float64(received)-want) > bound {
				t.Errorf("%s: %s received %d of %d, want %.0f ± %.0f", path.name, name, received, total, want, bound)
			}
			h, err := bundle.RequestSeries(path.series, name).Merge(res.Dir)
			if err != nil {
				t.Fatal(err)
			}
			if h.TotalCount() != ok {
				t.Errorf("%s: the .hlog's %s series holds %d latencies, want %d", path.name, name, h.TotalCount(), ok)
			}
		}
		h, err := path.series.Merge(res.Dir)
		if err != nil {
			t.Fatal(err)
		}
		if h.TotalCount() != total {
			t.Errorf("%s: the .hlog's untagged total holds %d latencies, want %d", path.name, h.TotalCount(), total)
		}
	}

	var text bytes.Buffer
	if err := report.Text(&text, s); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(res.Dir, bundle.ReportHTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	for name := range weights {
		if strings.Count(text.String(), "\n  "+name+" ") != 2 {
			t.Errorf("the text report lacks a row of %s for each path:\n%s", name, text.String())
		}
		if strings.Count(string(page), ">"+name+"</th>") != 2 {
			t.Errorf("report.html lacks a row of %s for each path", name)
		}
	}

	pushes, err := gw.received()
	if err != nil || len(pushes) == 0 {
		t.Fatalf("%d pushes, error %v", len(pushes), err)
	}
	final := pushes[len(pushes)-1].families
	for name := range weights {
		want := float64(s.Sync.Requests[name].OK)
		if got := sumOf(final["loadgen_latency_seconds"], map[string]string{"path": "sync", "request": name}); got != want {
			t.Errorf("loadgen_latency_seconds{path=sync,request=%s} counts %v, want %v", name, got, want)
		}
		if got := sumOf(final["loadgen_requests_ok_total"], map[string]string{"path": "async", "request": name}); got != float64(s.Async.Requests[name].Accepted) {
			t.Errorf("loadgen_requests_ok_total{path=async,request=%s} = %v, want %d", name, got, s.Async.Requests[name].Accepted)
		}
	}
	if got := sumOf(final["loadgen_requests_ok_total"], map[string]string{"path": "sync"}); got != float64(s.Sync.OK) {
		t.Errorf("loadgen_requests_ok_total{path=sync} sums to %v over its kinds, want the total %d", got, s.Sync.OK)
	}
}
