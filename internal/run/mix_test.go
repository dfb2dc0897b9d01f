package run

import (
	"bytes"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/pace"
	"github.com/loadchaos/loadgen/internal/report"
	"github.com/loadchaos/loadgen/internal/wire"
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

// seqKinds is a target that notes the kind (method and path) of each
// request by its place in the schedule, the digits its id ends with.
type seqKinds struct {
	mu    sync.Mutex
	kinds map[uint64]string
}

func (s *seqKinds) handle(ctx *fasthttp.RequestCtx) {
	id := ctx.Request.Header.Peek(wire.HTTPIDHeader)
	digits := len(id)
	for digits > 0 && id[digits-1] >= '0' && id[digits-1] <= '9' {
		digits--
	}
	seq, err := strconv.ParseUint(string(id[digits:]), 10, 64)
	if err == nil {
		s.mu.Lock()
		s.kinds[seq] = string(ctx.Method()) + " " + string(ctx.Path())
		s.mu.Unlock()
	}
	ctx.SetStatusCode(fasthttp.StatusOK)
}

// TestASplitRunSendsTheKindsTheWholeRunWould: the kind of each request
// follows from the seed and its place in the whole schedule, so the
// segments of a split run together send each request as the same kind as
// one generator would.
func TestASplitRunSendsTheKindsTheWholeRunWould(t *testing.T) {
	prof, err := profiles.Parse("mix.yaml", []byte(strings.Replace(mixProfile, "rate: 400, for: 3s", "rate: 200, for: 1s", 1)+
		"limits: {late_after: 1s}\n"))
	if err != nil {
		t.Fatal(err)
	}
	whole, split := &seqKinds{kinds: map[uint64]string{}}, &seqKinds{kinds: map[uint64]string{}}
	wholeURL, _ := serve(t, whole.handle)
	splitURL, _ := serve(t, split.handle)
	runFor(t, 20*time.Second, Options{Profile: prof, SyncURL: wholeURL})
	for i := range 2 {
		runFor(t, 20*time.Second, Options{Profile: prof, SyncURL: splitURL, Segment: pace.Segment{Index: i, Count: 2},
			StartAt: time.Now().Add(200 * time.Millisecond), RunID: "split"})
	}
	if len(whole.kinds) < 150 || len(split.kinds) < 150 {
		t.Fatalf("the whole run sent %d requests, the segments %d; want about 200 each", len(whole.kinds), len(split.kinds))
	}
	compared := 0
	for seq, kind := range split.kinds {
		if w, ok := whole.kinds[seq]; ok {
			compared++
			if w != kind {
				t.Errorf("request %d: %s in the whole run, %s in its segment", seq, w, kind)
			}
		}
	}
	if compared < 150 {
		t.Errorf("only %d requests were sent by both runs, want most of 200", compared)
	}
}
