package run

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/profiles"
)

// serve runs handler on a local port until the test ends and returns its URL
// and a function that stops it early.
func serve(t *testing.T, handler fasthttp.RequestHandler) (string, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: handler}
	go srv.Serve(ln)
	stop := func() { srv.Shutdown() }
	t.Cleanup(stop)
	return "http://" + ln.Addr().String() + "/", stop
}

func ok(ctx *fasthttp.RequestCtx) { ctx.SetStatusCode(fasthttp.StatusOK) }

func constantProfile(t *testing.T, rate float64, d time.Duration) *profiles.Profile {
	t.Helper()
	p, err := profiles.Load("steady")
	if err != nil {
		t.Fatal(err)
	}
	p.Duration = d
	p.SetConstantRate(rate)
	p.Seed = 1
	return p
}

func runFor(t *testing.T, timeout time.Duration, opts Options) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	if opts.Out == "" {
		opts.Out = t.TempDir()
	}
	res, err := Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestLatencyIsMeasuredFromTheIntendedSendTime(t *testing.T) {
	// The server stalls for 1 s every 5 s. At 200 req/s, the 20% of requests
	// that arrive during a stall wait until it ends: uniformly 0 to 1 s. So
	// 1% of all requests wait more than 0.95 s: p99 is 950 ms. A closed loop
	// (next request only after an answer) sends one request per stall and
	// would report a p99 of a few milliseconds.
	epoch := time.Now()
	url, _ := serve(t, func(ctx *fasthttp.RequestCtx) {
		if into := time.Since(epoch) % (5 * time.Second); into < time.Second {
			time.Sleep(time.Second - into)
		}
		ok(ctx)
	})
	res := runFor(t, 30*time.Second, Options{Profile: constantProfile(t, 200, 10*time.Second), SyncURL: url})
	s := res.Summary.Sync
	if s.OK+s.Schedule.Late+s.Schedule.Dropped < 1990 || s.OK < 1500 || s.Errors != 0 {
		t.Fatalf("%d ok (%d late), %d errors; want about 2000 ok and none failed", s.OK, s.Schedule.Late, s.Errors)
	}
	t.Logf("open model: p99 %.1f ms, max %.1f ms from the intended time", s.LatencyMS.P99, s.LatencyMS.Max)
	if p99 := s.LatencyMS.P99; p99 < 850 || p99 > 1050 {
		t.Fatalf("p99 %.1f ms, want near the analytic 950 ms", p99)
	}

	closed := runFor(t, 30*time.Second, Options{Profile: constantProfile(t, 0, 5*time.Second), SyncURL: url,
		ClosedLoop: true, Connections: 1}).Summary.Sync
	t.Logf("closed loop: p99 %.1f ms, max %.1f ms", closed.LatencyMS.P99, closed.LatencyMS.Max)
	if closed.LatencyMS.P99 > 50 || closed.LatencyMS.Max < 500 {
		t.Fatalf("closed loop: p99 %.1f ms, max %.1f ms; want the stall hidden below p99 but seen once as the max",
			closed.LatencyMS.P99, closed.LatencyMS.Max)
	}
}

func TestSteadyRunSendsItsScheduleAndWritesAReadableBundle(t *testing.T) {
	url, _ := serve(t, ok)
	res := runFor(t, 30*time.Second, Options{Profile: constantProfile(t, 1000, 5*time.Second), SyncURL: url})
	s := res.Summary
	sched := s.Sync.Schedule
	if sched.Scheduled != 5000 || s.Sync.Sent+sched.Late+sched.Dropped != 5000 || s.Sync.Sent < 2500 {
		t.Fatalf("scheduled %d, sent %d, late %d, dropped %d: want 5000 scheduled, each sent or counted",
			sched.Scheduled, s.Sync.Sent, sched.Late, sched.Dropped)
	}
	// A run is valid exactly when the generator kept its schedule within the
	// profile's limits (a busy machine may make it fall behind).
	withinLimits := float64(sched.Late) <= 0.01*5000 && float64(sched.Dropped) <= 0.001*5000
	if s.Run.Valid != withinLimits {
		t.Fatalf("valid %v with %d late and %d dropped of 5000", s.Run.Valid, sched.Late, sched.Dropped)
	}
	for _, name := range []string{bundle.SummaryFile, bundle.SyncLog, bundle.TimelineFile, bundle.ProfileFile} {
		if _, err := os.Stat(filepath.Join(res.Dir, name)); err != nil {
			t.Errorf("bundle lacks %s: %v", name, err)
		}
	}
	f, err := os.Open(filepath.Join(res.Dir, bundle.SyncLog))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	reader := hdr.NewHistogramLogReader(f)
	var logged, intervals int64
	for {
		h, err := reader.NextIntervalHistogram()
		if err != nil {
			t.Fatalf("hlog interval %d: %v", intervals, err)
		}
		if h == nil {
			break
		}
		logged += h.TotalCount()
		intervals++
	}
	if logged+s.Sync.Schedule.Misplaced != s.Sync.OK || intervals < 5 {
		t.Fatalf("hlog holds %d values in %d intervals (+%d misplaced), summary %d ok", logged, intervals, s.Sync.Schedule.Misplaced, s.Sync.OK)
	}
	again, err := bundle.ReadSummary(filepath.Join(filepath.Dir(res.Dir), "latest"))
	if err != nil || again.Run.ID != s.Run.ID {
		t.Fatalf("latest does not lead to this run: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(res.Dir, bundle.ProfileFile))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := profiles.Parse("profile.yaml", data); err != nil || p.Seed != 1 || p.Duration != 5*time.Second {
		t.Fatalf("profile.yaml does not give back the profile as run: %v", err)
	}
}

func TestUnreachableTargetFailsAtStart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	out := t.TempDir()
	_, err = Run(t.Context(), Options{Profile: constantProfile(t, 10, time.Second), SyncURL: "http://" + addr + "/", Out: out})
	var setup *SetupError
	if !errors.As(err, &setup) || !strings.Contains(err.Error(), addr) {
		t.Fatalf("got %v, want a setup error naming %s", err, addr)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Fatalf("a run that never started left %d entries in the results root", len(entries))
	}
}

func TestTargetThatDiesIsCountedAndTheBundleWritten(t *testing.T) {
	url, stop := serve(t, ok)
	time.AfterFunc(time.Second, stop)
	res := runFor(t, 30*time.Second, Options{Profile: constantProfile(t, 200, 3*time.Second), SyncURL: url})
	s := res.Summary.Sync
	if s.OK < 100 || s.Errors < 200 || s.ErrorClass["refused"]+s.ErrorClass["reset"] < 200 {
		t.Fatalf("%d ok, %d errors %v; want the first second ok and the rest refused", s.OK, s.Errors, s.ErrorClass)
	}
	if _, err := os.Stat(filepath.Join(res.Dir, bundle.SummaryFile)); err != nil {
		t.Fatal(err)
	}
}

func TestInterruptedRunWritesAPartialBundle(t *testing.T) {
	url, _ := serve(t, ok)
	ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
	defer cancel()
	res, err := Run(ctx, Options{Profile: constantProfile(t, 100, time.Minute), SyncURL: url, Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Summary.Run.Partial || res.Summary.Run.DurationS > 5 || res.Summary.Sync.OK < 50 {
		t.Fatalf("run: %+v, %d ok; want partial after about 1.5 s with its requests counted", res.Summary.Run, res.Summary.Sync.OK)
	}
	entries, _ := os.ReadDir(res.Dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".partial") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	if len(entries) < 4 {
		t.Fatalf("bundle has %d files, want summary, profile, timeline and hlog", len(entries))
	}
}

func TestMetricsAreServedDuringTheRun(t *testing.T) {
	url, _ := serve(t, ok)
	prof := constantProfile(t, 50, 3*time.Second)
	done := make(chan *Result, 1)
	go func() {
		res, _ := Run(t.Context(), Options{Profile: prof, SyncURL: url, MetricsAddr: "127.0.0.1:0", Progress: metricsAddr{}, Out: t.TempDir()})
		done <- res
	}()
	var body string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(body, `loadgen_requests_completed_total{path="sync"}`) {
		time.Sleep(200 * time.Millisecond)
		if addr := lastMetricsAddr.Load(); addr != nil {
			status, b, err := fasthttp.Get(nil, "http://"+*addr+"/metrics")
			if err == nil && status == 200 {
				body = string(b)
			}
		}
	}
	<-done
	for _, want := range []string{`loadgen_requests_completed_total{path="sync"}`, `loadgen_requests_scheduled_total{path="sync"}`, `loadgen_latency_p99_seconds{path="sync"}`} {
		if !strings.Contains(body, want) {
			t.Fatalf("metrics lack %s:\n%s", want, body)
		}
	}
}

// metricsAddr catches the metrics address the run prints on its progress writer.
type metricsAddr struct{}

var lastMetricsAddr atomic.Pointer[string]

func (metricsAddr) Write(b []byte) (int, error) {
	if rest, ok := strings.CutPrefix(string(b), "metrics: http://"); ok {
		addr := strings.TrimSuffix(strings.TrimSpace(rest), "/metrics")
		lastMetricsAddr.Store(&addr)
	}
	return len(b), nil
}
