package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/push"
)

// DefaultMetricsPushInterval is how often --metrics-push pushes when no
// interval is given.
const DefaultMetricsPushInterval = 10 * time.Second

// maxPushTimeout bounds one push (and the interval, when shorter, bounds
// it more): a Pushgateway that hangs delays the end of the run by at most
// this much, once.
const maxPushTimeout = 5 * time.Second

// pusher pushes the run's metrics to a Pushgateway: job "loadgen", grouped
// by run id and, for a segment of a split run, by segment. Each push
// replaces the group's metrics (PUT), so the last one holds the final counts.
type pusher struct {
	p        *push.Pusher
	client   *statusClient
	timeout  time.Duration
	warn     io.Writer
	failures func()

	pushes, failed int // owned by whoever pushes: the loop, then the final push
	warned         bool
}

// startPush starts pushing every interval when --metrics-push is set, and
// returns the function that stops that, pushes a last time and says how
// many pushes failed. Without --metrics-push both do nothing.
func (s *session) startPush() (finish func()) {
	if s.opts.MetricsPush == "" {
		return func() {}
	}
	interval := s.opts.MetricsPushInterval
	if interval <= 0 {
		interval = DefaultMetricsPushInterval
	}
	client := &statusClient{c: &http.Client{}}
	p := push.New(s.opts.MetricsPush, "loadgen").Gatherer(s.metrics.reg).Client(client).Grouping("run_id", s.runID)
	if s.opts.Segment.Split() {
		p = p.Grouping("segment", s.opts.Segment.String())
	}
	pu := &pusher{p: p, client: client, timeout: min(interval, maxPushTimeout), warn: s.opts.Notices, failures: s.metrics.pushFailures.Inc}
	loopCtx, stopLoop := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-loopCtx.Done():
				return
			case <-tick.C:
				pu.push(loopCtx)
			}
		}
	}()
	return func() {
		stopLoop() // a push under way is superseded by the last one
		<-stopped
		pu.push(context.Background())
		if pu.failed > 0 && pu.warn != nil {
			fmt.Fprintf(pu.warn, "metrics push: %d of %d pushes failed\n", pu.failed, pu.pushes)
		}
	}
}

// push pushes once, bounded by the timeout. A failure is counted (and
// pushed with the next push) and the first one is a warning; a push
// cancelled with parent is not one.
func (pu *pusher) push(parent context.Context) {
	ctx, cancel := context.WithTimeout(parent, pu.timeout)
	defer cancel()
	err := pu.p.PushContext(ctx)
	if parent.Err() != nil {
		return
	}
	pu.pushes++
	if err == nil {
		return
	}
	pu.failed++
	pu.failures()
	if !pu.warned && pu.warn != nil {
		pu.warned = true
		fmt.Fprintf(pu.warn, "warning: metrics push failed (%s); the run goes on\n", pu.client.why(ctx, pu.timeout))
	}
}

// statusClient remembers how the last push ended, so that a warning names
// it without repeating the gateway's URL (it may hold a password) or its
// answer (untrusted text).
type statusClient struct {
	c      *http.Client
	mu     sync.Mutex
	status int
	err    error
}

func (sc *statusClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := sc.c.Do(req)
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.status, sc.err = 0, err
	if resp != nil {
		sc.status = resp.StatusCode
	}
	return resp, err
}

func (sc *statusClient) why(ctx context.Context, timeout time.Duration) string {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	var uerr *url.Error
	switch {
	case ctx.Err() != nil:
		return fmt.Sprintf("no answer within %v", timeout)
	case sc.status != 0:
		return fmt.Sprintf("HTTP status %d", sc.status)
	case errors.As(sc.err, &uerr):
		return uerr.Err.Error()
	case sc.err != nil:
		return sc.err.Error()
	}
	return "the push could not be made"
}
