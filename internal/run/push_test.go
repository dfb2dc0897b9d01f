package run

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/loadchaos/loadgen/internal/pace"
)

// pushed is one push a fake Pushgateway received.
type pushed struct {
	method, path string
	families     map[string]*dto.MetricFamily
}

// gateway is a Pushgateway-compatible handler: it decodes each push,
// bounded, and keeps it.
type gateway struct {
	mu     sync.Mutex
	pushes []pushed
	errs   []error
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := pushed{method: r.Method, path: r.URL.Path, families: map[string]*dto.MetricFamily{}}
	dec := expfmt.NewDecoder(io.LimitReader(r.Body, 1<<20), expfmt.ResponseFormat(r.Header))
	var err error
	for {
		var f dto.MetricFamily
		if err = dec.Decode(&f); err != nil {
			break
		}
		p.families[f.GetName()] = &f
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if !errors.Is(err, io.EOF) {
		g.errs = append(g.errs, err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	g.pushes = append(g.pushes, p)
}

func (g *gateway) received() ([]pushed, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]pushed(nil), g.pushes...), errors.Join(g.errs...)
}

// sumOf adds the values of a family's series whose labels include want.
func sumOf(f *dto.MetricFamily, want map[string]string) float64 {
	var v float64
	for _, m := range f.GetMetric() {
		l := labelsOf(m)
		match := true
		for k, w := range want {
			match = match && l[k] == w
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			v += m.GetCounter().GetValue()
		case m.Histogram != nil:
			v += float64(m.GetHistogram().GetSampleCount())
		}
	}
	return v
}

func TestMetricsArePushedDuringTheRunAndTheLastPushHasTheFinalCounts(t *testing.T) {
	target, _ := serve(t, ok)
	gw := &gateway{}
	srv := httptest.NewServer(gw)
	defer srv.Close()
	var notices bytes.Buffer
	res := runFor(t, 20*time.Second, Options{Profile: constantProfile(t, 100, 3*time.Second), SyncURL: target,
		MetricsPush: srv.URL, MetricsPushInterval: time.Second, RunID: "ci-42", Notices: &notices})

	pushes, err := gw.received()
	if err != nil {
		t.Fatalf("the gateway could not decode a push: %v", err)
	}
	if len(pushes) < 3 {
		t.Fatalf("%d pushes, want one a second during the 3 s run and one at the end", len(pushes))
	}
	for _, p := range pushes {
		if p.method != http.MethodPut || p.path != "/metrics/job/loadgen/run_id/ci-42" {
			t.Fatalf("push %s %s, want PUT to the group of job loadgen, run_id ci-42", p.method, p.path)
		}
	}
	final := pushes[len(pushes)-1].families
	for _, name := range []string{"loadgen_latency_seconds", "loadgen_requests_sent_total", "loadgen_requests_ok_total",
		"loadgen_requests_errors_total", "loadgen_requests_late_total", "loadgen_requests_dropped_total", "loadgen_requests_completed_total"} {
		if final[name] == nil {
			t.Fatalf("the final push lacks %s", name)
		}
	}
	s := res.Summary.Sync
	sync := map[string]string{"path": "sync"}
	for name, want := range map[string]int64{
		"loadgen_requests_sent_total":    s.Sent,
		"loadgen_requests_ok_total":      s.OK,
		"loadgen_latency_seconds":        s.OK,
		"loadgen_requests_errors_total":  s.Errors,
		"loadgen_requests_late_total":    s.Schedule.Late,
		"loadgen_requests_dropped_total": s.Schedule.Dropped,
	} {
		if got := sumOf(final[name], sync); got != float64(want) {
			t.Errorf("final %s = %v, want the summary's %d", name, got, want)
		}
	}
	if s.OK < 100 {
		t.Errorf("the run answered %d, want 100 or more: the test proves little", s.OK)
	}
	if first := pushes[0].families["loadgen_requests_ok_total"]; sumOf(first, sync) >= float64(s.OK) {
		t.Errorf("the first push already had the final count: pushes are not periodic")
	}
	if notices.Len() != 0 {
		t.Errorf("notices %q, want none when every push succeeds", notices.String())
	}
}

func TestAFailingOrHangingGatewayIsAWarningAndNeverStallsTheRun(t *testing.T) {
	release := make(chan struct{}) // lets a hanging handler go once the test has failed
	var releaseOnce sync.Once
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		warning string
	}{
		// A refusal is named by its status, never by the gateway's text.
		{"500", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "secret-gateway-text", http.StatusInternalServerError)
		}, "warning: metrics push failed (HTTP status 500)"},
		// A gateway that never answers costs each push its timeout only.
		// The body is read first: only then does the server notice the
		// client hanging up and cancel the request's context.
		{"hang", func(_ http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}, "warning: metrics push failed (no answer within 1s)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target, _ := serve(t, ok)
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			var notices bytes.Buffer
			opts := Options{Profile: constantProfile(t, 50, 2*time.Second), SyncURL: target, Out: t.TempDir(),
				MetricsPush: srv.URL, MetricsPushInterval: time.Second, Notices: &notices}
			type ended struct {
				res *Result
				err error
			}
			done := make(chan ended, 1)
			go func() {
				res, err := Run(t.Context(), opts)
				done <- ended{res, err}
			}()
			// 2 s of load, its drain, at most a second for the last push.
			var e ended
			select {
			case e = <-done:
			case <-time.After(5 * time.Second):
				releaseOnce.Do(func() { close(release) })
				t.Fatal("the run did not end within 5 s with a failing gateway")
			}
			if e.err != nil || e.res.Summary.Sync.OK == 0 {
				t.Fatalf("the run failed (%v) or sent nothing", e.err)
			}
			out := notices.String()
			if strings.Count(out, tc.warning) != 1 || !strings.Contains(out, "pushes failed") {
				t.Errorf("notices %q, want %q once and the count of failed pushes", out, tc.warning)
			}
			if strings.Contains(out, "secret-gateway-text") || strings.Contains(out, srv.URL) {
				t.Errorf("notices %q repeat the gateway's answer or URL", out)
			}
		})
	}
}

func TestASegmentPushesToItsOwnGroup(t *testing.T) {
	gw := &gateway{}
	srv := httptest.NewServer(gw)
	defer srv.Close()
	s := &session{plan: &plan{opts: Options{MetricsPush: srv.URL, Segment: pace.Segment{Index: 1, Count: 3}}}, runID: "split-7", metrics: newMetrics()}
	s.startPush()()
	pushes, err := gw.received()
	if err != nil || len(pushes) != 1 {
		t.Fatalf("%d pushes (%v), want the final one", len(pushes), err)
	}
	// The push package encodes a value holding "/" in base64 (URL-safe):
	// "1/3". It writes the grouping labels in no fixed order; the gateway
	// reads them as a set.
	runID, segment := "run_id/split-7", "segment@base64/MS8z"
	labels, ok := strings.CutPrefix(pushes[0].path, "/metrics/job/loadgen/")
	if !ok || labels != runID+"/"+segment && labels != segment+"/"+runID {
		t.Errorf("pushed to %s, want the group job loadgen, run_id split-7, segment 1/3", pushes[0].path)
	}
}

func TestABadPushURLOrIntervalIsRefusedNamingTheFlag(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want string
	}{
		// A host and port is not a URL the push package can use.
		{Options{MetricsPush: "gateway:9091"}, "--metrics-push: the scheme must be http or https"},
		{Options{MetricsPush: "http://:9091"}, "--metrics-push: no host"},
		// Pushing every millisecond would load the gateway, not the target.
		{Options{MetricsPush: "http://127.0.0.1:9091", MetricsPushInterval: time.Millisecond}, "--metrics-push-interval: 1ms is under 1s"},
	} {
		if err := tc.opts.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.opts, err, tc.want)
		}
	}
	if err := (Options{MetricsPush: "https://push.example:9091/base", MetricsPushInterval: time.Second}).Validate(); err != nil {
		t.Errorf("a good push URL refused: %v", err)
	}
}
