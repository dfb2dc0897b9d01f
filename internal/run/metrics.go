package run

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/hist"
)

// metrics is the run's Prometheus registry, served (--metrics-addr) or
// pushed (--metrics-push). Live counters read what the run counts anyway;
// the latency histograms and the counts by class are fed the per-second
// intervals the collectors emit (observe): nothing is added to the
// request path.
type metrics struct {
	reg          *prometheus.Registry
	latency      *latencySeconds
	ok           *prometheus.CounterVec // by path and request
	errors       *prometheus.CounterVec // by path, request and class
	pushFailures prometheus.Counter
	// kinds names each path's kinds of request (a mix): its latency and
	// counts by class go out per kind, labelled request, instead of as
	// the path's total, which their sum is. Set by register.
	kinds map[string][]string
}

func newMetrics() *metrics {
	m := &metrics{
		reg:     prometheus.NewRegistry(),
		latency: newLatencySeconds(),
		ok: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "loadgen_requests_ok_total",
			Help: "Requests answered successfully, by path and kind of request of a mix, counted in the second they finished once it closed."}, []string{"path", "request"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "loadgen_requests_errors_total",
			Help: "Requests that failed, by path, kind of request of a mix and error class, counted in the second they finished once it closed."}, []string{"path", "request", "class"}),
		pushFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "loadgen_metrics_push_failures_total",
			Help: "Pushes to the Pushgateway (--metrics-push) that failed or timed out."}),
	}
	m.reg.MustRegister(m.latency, m.ok, m.errors, m.pushFailures)
	return m
}

// observe takes one closed second of one path, or of one group's
// end-to-end latency.
func (m *metrics) observe(path, group string, iv *hist.Interval) {
	kinds := m.kinds[path]
	if len(kinds) == 0 || len(iv.Kinds) != len(kinds) {
		m.observeKind(path, group, "", iv)
		return
	}
	for i, kiv := range iv.Kinds {
		m.observeKind(path, group, kinds[i], kiv)
	}
}

// observeKind takes one second of one path's kind of request ("": the path).
func (m *metrics) observeKind(path, group, request string, iv *hist.Interval) {
	m.latency.add(seriesKey{path, group, request}, iv)
	if path == bundle.PathAsyncE2E {
		return // completions are counted by loadgen_completions_total
	}
	m.ok.WithLabelValues(path, request).Add(float64(iv.Counts[drive.OK]))
	for _, c := range drive.Classes[1:] {
		if n := iv.Counts[c]; n > 0 {
			m.errors.WithLabelValues(path, request, c.String()).Add(float64(n))
		}
	}
}

// register adds the session's paths and groups, every series at zero, so
// that a dashboard's rate() sees the first increase.
func (m *metrics) register(s *session) {
	m.kinds = map[string][]string{}
	for _, p := range s.paths {
		m.kinds[p.name] = p.kinds
		requests := p.kinds
		if len(requests) == 0 {
			requests = []string{""}
		}
		for _, request := range requests {
			m.latency.ensure(seriesKey{p.name, "", request})
			m.ok.WithLabelValues(p.name, request)
			for _, c := range drive.Classes[1:] {
				m.errors.WithLabelValues(p.name, request, c.String())
			}
		}
		m.registerPath(p)
	}
	if s.comps != nil {
		for _, g := range s.comps.groups {
			m.latency.ensure(seriesKey{bundle.PathAsyncE2E, g.name, ""})
			m.registerGroup(g)
		}
	}
	if s.userLag != nil {
		for i, name := range s.userLag.names {
			m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "loadgen_lag_group_lag", Help: "Messages of the lag topic your consumer group (--lag-group) has not committed, sampled each second.",
				ConstLabels: prometheus.Labels{"group": name}}, func() float64 { return float64(s.userLag.lagOf(i)) }))
		}
	}
}

func (m *metrics) registerPath(p *path) {
	labels := prometheus.Labels{"path": p.name}
	counter := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help, ConstLabels: labels}, f)
	}
	gauge := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help, ConstLabels: labels}, f)
	}
	m.reg.MustRegister(
		counter("loadgen_requests_completed_total", "Requests answered (or failed), by path.", func() float64 { return float64(p.completed.Load()) }),
		counter("loadgen_requests_failed_total", "Requests that failed, by path.", func() float64 { return float64(p.errors.Load()) }),
		gauge("loadgen_requests_in_flight", "Requests sent and not yet answered, by path.", func() float64 { return float64(p.inFlight.Load()) }),
		gauge("loadgen_latency_p99_seconds", "p99 latency from the intended send time, over the second before last, by path.", func() float64 { return p.collector.Recent().P99 / 1000 }),
	)
	if p.pacer == nil {
		m.reg.MustRegister(counter("loadgen_requests_sent_total", "Requests handed to a worker to send, by path.", func() float64 { return float64(p.seq.Load()) }))
		return
	}
	m.reg.MustRegister(
		counter("loadgen_requests_sent_total", "Requests handed to a worker to send, by path.", func() float64 { return float64(p.pacer.Counts().Dispatched) }),
		counter("loadgen_requests_scheduled_total", "Requests whose intended time has come, by path.", func() float64 { return float64(p.pacer.Counts().Scheduled) }),
		counter("loadgen_requests_late_total", "Requests skipped: their time had passed by more than late_after, by path.", func() float64 { return float64(p.pacer.Counts().Late) }),
		counter("loadgen_requests_dropped_total", "Requests refused at the in-flight cap, by path.", func() float64 { return float64(p.pacer.Counts().Dropped) }),
		counter("loadgen_requests_missed_total", "Requests the generator skipped late or dropped at its in-flight cap, by path.", func() float64 { c := p.pacer.Counts(); return float64(c.Late + c.Dropped) }),
	)
}

func (m *metrics) registerGroup(g *group) {
	labels := prometheus.Labels{"group": g.name}
	counter := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help, ConstLabels: labels}, f)
	}
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "loadgen_consumer_lag", Help: "Messages the consumer group has not committed, sampled each second.", ConstLabels: labels},
			func() float64 { return float64(g.lag.Load()) }),
		counter("loadgen_completions_total", "Accepted messages the group has completed (first completions).", func() float64 { return float64(g.completed.Load()) }),
		counter("loadgen_completions_duplicates_total", "Completions beyond the first of a message, by group.", func() float64 { return float64(g.ledger.Duplicates()) }),
		counter("loadgen_messages_lost_total", "Accepted messages the group never completed: 0 until the drain has run its course.", func() float64 { return float64(g.lost.Load()) }),
	)
}

// serve exposes the registry on addr (/metrics) until ctx is done, and
// returns the address it listens on.
func (m *metrics) serve(ctx context.Context, addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("--metrics-addr: %w", err)
	}
	srv := &http.Server{Handler: promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Println("metrics server:", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	return ln.Addr().String(), nil
}
