package syncsvc

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/targets/connlimits"
	"github.com/loadchaos/loadgen/targets/work"
)

// DefaultNextTimeout is BackendConfig.Timeout when it is left 0.
const DefaultNextTimeout = 5 * time.Second

// BackendConfig configures a sync worker process's server. A zero field
// takes the default it states.
type BackendConfig struct {
	Listen  string            // host:port; default 127.0.0.1:0
	Model   work.Model        // the work of one request (see work.Model for its defaults)
	Queue   int               // requests that may wait for a slot beyond Model.Concurrency; default = Concurrency; more get 503 at once
	Next    string            // optional downstream URL (another backend's /work, such as http://127.0.0.1:8081/work; /work when it has no path) called after the local work, for a sync chain edge -> A -> B -> C; its failure fails this request
	Timeout time.Duration     // for calling Next; default 5s
	Seed    uint64            // seeds the model's random draws
	Limits  connlimits.Limits // on the connections of the backend's clients; see connlimits for the defaults
}

// validate reports every problem with cfg at once.
func (cfg BackendConfig) validate() error {
	var errs []error
	if err := cfg.Model.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("model: %w", err))
	}
	if cfg.Queue < 0 {
		errs = append(errs, fmt.Errorf("queue %d: must not be negative", cfg.Queue))
	}
	if cfg.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %v: must not be negative", cfg.Timeout))
	}
	if cfg.Next != "" {
		if _, err := parseNext(cfg.Next); err != nil {
			errs = append(errs, err)
		}
	}
	if err := cfg.Limits.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// parseNext checks a downstream URL.
func parseNext(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return nil, fmt.Errorf("next: %w", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("next %q: scheme must be http or https", s)
	case u.Host == "":
		return nil, fmt.Errorf("next %q: no host", s)
	}
	return u, nil
}

// RunBackend serves a sync worker process: POST /work runs one job of the
// model and answers when it is done, and when Next is set, once Next has
// answered too. Answers:
//
//	200 {"id":"<Loadgen-Id>"}  the work, and Next, succeeded
//	500                        the work failed by injection (Model.FailureRate)
//	502                        Next failed: unreachable, timed out or not 2xx
//	503                        Concurrency+Queue requests are in already; or shutting down
//
// GET /healthz answers 200. GET /stats (wire.TierStatsPath) answers the
// backend's own outcomes since it started (wire.TierStats): requests,
// injected failures, refusals, and the own time of each admitted request,
// the wait for Next left out, so that a chain can be predicted from its
// tiers. A request holds its place among the
// Concurrency+Queue admitted while it waits for Next, like a thread of a
// thread-per-request server blocked on its downstream call.
//
// RunBackend checks cfg, reporting every problem at once, opens the listener
// and calls ready (if not nil) once with its address (host:port). It returns
// when ctx is done, after shutting the server down: requests in flight get 1 s
// to finish, then their work is cut short and their connections closed.
func RunBackend(ctx context.Context, cfg BackendConfig, ready func(addr string)) error {
	if err := cfg.validate(); err != nil {
		return fmt.Errorf("backend: %w", err)
	}
	b := &backend{
		worker:  work.NewWorker(cfg.Model, cfg.Seed),
		stats:   newTierStats(),
		timeout: cmp.Or(cfg.Timeout, DefaultNextTimeout),
	}
	conc := cmp.Or(cfg.Model.Concurrency, work.DefaultConcurrency)
	b.admit = make(chan struct{}, conc+cmp.Or(cfg.Queue, conc))
	if cfg.Next != "" {
		u, _ := parseNext(cfg.Next) // checked by validate
		b.next = newUpstream(u.Host, u.Scheme == "https")
		if u.Path == "" {
			u.Path = "/work"
		}
		b.nextPath = u.RequestURI()
	}
	ln, err := listen(cfg.Listen, ready)
	if err != nil {
		return fmt.Errorf("backend: %w", err)
	}
	var cut context.CancelFunc
	b.workCtx, cut = context.WithCancel(context.WithoutCancel(ctx))
	srv := &fasthttp.Server{Handler: b.handle, Name: "loadgen-backend", CloseOnShutdown: true}
	cfg.Limits.Apply(srv)
	if err := serve(ctx, srv, ln, cut); err != nil {
		return fmt.Errorf("backend: %w", err)
	}
	return nil
}

// backend is the state of one RunBackend.
type backend struct {
	worker   *work.Worker
	admit    chan struct{} // one token per request admitted: running, queued or waiting for next
	workCtx  context.Context
	next     *upstream // nil without Next
	nextPath string
	timeout  time.Duration // for next
	stats    *tierStats
}

func (b *backend) handle(c *fasthttp.RequestCtx) {
	switch string(c.Path()) {
	case "/work":
		if !c.IsPost() {
			c.Response.Header.Set(fasthttp.HeaderAllow, fasthttp.MethodPost)
			c.Error("POST only\n", fasthttp.StatusMethodNotAllowed)
			return
		}
		b.work(c)
	case "/healthz":
		c.SetBodyString("ok\n")
	case wire.TierStatsPath:
		b.stats.serve(c)
	default:
		c.Error("not found: POST /work, GET /healthz or GET "+wire.TierStatsPath+"\n", fasthttp.StatusNotFound)
	}
}

func (b *backend) work(c *fasthttp.RequestCtx) {
	b.stats.requests.Add(1)
	select {
	case b.admit <- struct{}{}:
		defer func() { <-b.admit }()
	default:
		b.stats.busy.Add(1)
		c.Error("busy: concurrency and queue are full\n", fasthttp.StatusServiceUnavailable)
		return
	}
	admitted := time.Now()
	err := b.worker.Do(b.workCtx)
	switch {
	case errors.Is(err, work.ErrFailed):
		b.stats.failed.Add(1)
		b.stats.ownTime(time.Since(admitted))
		c.Error(err.Error()+"\n", fasthttp.StatusInternalServerError)
		return
	case err != nil:
		b.stats.busy.Add(1)
		c.Error("shutting down\n", fasthttp.StatusServiceUnavailable)
		return
	}
	b.stats.ownTime(time.Since(admitted))
	if b.next != nil {
		if err := b.callNext(c); err != nil {
			c.Error(fmt.Sprintf("next: %v\n", err), fasthttp.StatusBadGateway)
			return
		}
	}
	id, _ := json.Marshal(string(c.Request.Header.Peek(wire.HTTPIDHeader))) // a string always marshals
	c.SetContentType("application/json")
	c.SetBody(fmt.Appendf(nil, `{"id":%s}`, id))
}

// callNext sends the request on to the next backend.
func (b *backend) callNext(c *fasthttp.RequestCtx) error {
	req := fasthttp.AcquireRequest()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	copyWork(req, c, b.nextPath)
	if err := b.next.do(req, resp, time.Now().Add(b.timeout)); err != nil {
		return err
	}
	if code := resp.StatusCode(); code < 200 || code > 299 {
		return fmt.Errorf("%s answered %d", b.next.addr, code)
	}
	return nil
}
