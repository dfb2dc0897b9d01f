package syncsvc

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/targets/work"
)

func fixed(d time.Duration) work.Dist { return work.Dist{Kind: work.Fixed, Median: d} }

func TestBackendAnswersWhenTheWorkIsDone(t *testing.T) {
	ctx := testCtx(t)
	addr, _ := startBackend(ctx, t, BackendConfig{Model: work.Model{Service: fixed(30 * time.Millisecond)}})
	start := time.Now()
	status, body := mustPost(t, addr, "job-1")
	if took := time.Since(start); took < 30*time.Millisecond {
		t.Errorf("answered after %v, before the 30ms of work", took)
	}
	if status != 200 || body != `{"id":"job-1"}` {
		t.Errorf("got %d %q, want 200 {\"id\":\"job-1\"}", status, body)
	}
}

func TestBackendRoutes(t *testing.T) {
	ctx := testCtx(t)
	addr, _ := startBackend(ctx, t, BackendConfig{})
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"POST", "/work", 200},   // the work
		{"GET", "/healthz", 200}, // alive
		{"GET", "/stats", 200},   // its own outcomes
		{"POST", "/stats", 405},  // read only
		{"GET", "/work", 405},    // work is POSTed
		{"POST", "/nope", 404},   // nothing else
	} {
		status, _, err := send(tc.method, "http://"+addr+tc.path, "r", 10*time.Second)
		if err != nil || status != tc.want {
			t.Errorf("%s %s = %d, %v; want %d", tc.method, tc.path, status, err, tc.want)
		}
	}
}

func TestBackendInjectedFailureAnswers500(t *testing.T) {
	ctx := testCtx(t)
	addr, _ := startBackend(ctx, t, BackendConfig{Model: work.Model{FailureRate: 1}})
	if status, body := mustPost(t, addr, "f"); status != 500 || !strings.Contains(body, work.ErrFailed.Error()) {
		t.Errorf("got %d %q, want 500 %q", status, body, work.ErrFailed)
	}
}

func TestBackendFullAnswers503(t *testing.T) {
	ctx := testCtx(t)
	// One running and one queued fill it; their work lasts until the backend stops.
	addr, stop := startBackend(ctx, t, BackendConfig{Model: work.Model{Service: fixed(time.Hour), Concurrency: 1}, Queue: 1})

	var held sync.WaitGroup
	for range 2 {
		held.Go(func() { post(addr, "held", 15*time.Second) }) // ends when the backend stops
	}
	// A probe either is admitted too (and times out) or finds it full.
	for i := 0; ; i++ {
		status, _, err := post(addr, "probe", 300*time.Millisecond)
		if err == nil && status == fasthttp.StatusServiceUnavailable {
			break
		}
		if err != nil && !errors.Is(err, fasthttp.ErrTimeout) {
			t.Fatalf("probe %d: %v", i, err)
		}
		if err == nil || i > 5 {
			t.Fatalf("probe %d = %d, %v; want 503 once 2 requests are in", i, status, err)
		}
	}
	// Queued, it would wait an hour: mustPost's timeout would fail the test.
	if status, _ := mustPost(t, addr, "more"); status != fasthttp.StatusServiceUnavailable {
		t.Errorf("while full: %d, want 503", status)
	}
	stop() // cuts the held work
	held.Wait()
}

func TestBackendConfigErrors(t *testing.T) {
	ctx := testCtx(t)
	err := RunBackend(ctx, BackendConfig{
		Model:   work.Model{Concurrency: -1},
		Queue:   -2,
		Timeout: -time.Second,
		Next:    "ftp://x/work",
	}, func(string) { t.Error("ready called for an invalid config") })
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"concurrency -1", "queue -2", "timeout -1s", `next "ftp://x/work"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestBackendNextGetsTheIdentity(t *testing.T) {
	ctx := testCtx(t)
	next := startRecorder(ctx, t, 200)
	addr, _ := startBackend(ctx, t, BackendConfig{Next: "http://" + next.addr})
	if status, body := mustPost(t, addr, "chain-1"); status != 200 || body != `{"id":"chain-1"}` {
		t.Errorf("got %d %q, want 200", status, body)
	}
	if id, ns := next.last(); id != "chain-1" || ns != "1234567890" {
		t.Errorf("next got id %q sent-ns %q, want chain-1 1234567890", id, ns)
	}
}

func TestBackendNextNot2xxAnswers502(t *testing.T) {
	ctx := testCtx(t)
	next := startRecorder(ctx, t, 500)
	addr, _ := startBackend(ctx, t, BackendConfig{Next: "http://" + next.addr + "/work"})
	if status, _ := mustPost(t, addr, "c"); status != fasthttp.StatusBadGateway {
		t.Errorf("got %d, want 502", status)
	}
}
