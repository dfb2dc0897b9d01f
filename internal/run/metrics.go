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
)

// serveMetrics exposes the run's live figures as Prometheus metrics on addr
// (/metrics), for people who watch drills in Grafana. Every metric reads the
// counters the run keeps anyway: serving adds nothing to the request path.
// The server stops when ctx is done.
func (s *session) serveMetrics(ctx context.Context, addr string) (string, error) {
	reg := prometheus.NewRegistry()
	for _, p := range s.paths {
		labels := prometheus.Labels{"path": p.name}
		reg.MustRegister(
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "loadgen_requests_completed_total", Help: "Requests answered (or failed), by path.", ConstLabels: labels},
				func() float64 { return float64(p.completed.Load()) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "loadgen_requests_failed_total", Help: "Requests that failed, by path.", ConstLabels: labels},
				func() float64 { return float64(p.errors.Load()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "loadgen_requests_in_flight", Help: "Requests sent and not yet answered, by path.", ConstLabels: labels},
				func() float64 { return float64(p.inFlight.Load()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "loadgen_latency_p99_seconds", Help: "p99 latency from the intended send time, over the second before last, by path.", ConstLabels: labels},
				func() float64 { return p.collector.Recent().P99 / 1000 }),
		)
		if p.pacer != nil {
			reg.MustRegister(
				prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "loadgen_requests_scheduled_total", Help: "Requests whose intended time has come, by path.", ConstLabels: labels},
					func() float64 { return float64(p.pacer.Counts().Scheduled) }),
				prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "loadgen_requests_missed_total", Help: "Requests the generator skipped late or dropped at its in-flight cap, by path.", ConstLabels: labels},
					func() float64 { c := p.pacer.Counts(); return float64(c.Late + c.Dropped) }),
			)
		}
	}
	if s.comps != nil {
		for _, g := range s.comps.groups {
			labels := prometheus.Labels{"group": g.name}
			reg.MustRegister(
				prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "loadgen_consumer_lag", Help: "Messages the consumer group has not committed, sampled each second.", ConstLabels: labels},
					func() float64 { return float64(g.lag.Load()) }),
				prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "loadgen_completions_total", Help: "Accepted messages the group has completed (first completions).", ConstLabels: labels},
					func() float64 { return float64(g.completed.Load()) }),
			)
		}
	}
	if s.userLag != nil {
		for i, name := range s.userLag.names {
			reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "loadgen_lag_group_lag", Help: "Messages of the lag topic your consumer group (--lag-group) has not committed, sampled each second.",
				ConstLabels: prometheus.Labels{"group": name}}, func() float64 { return float64(s.userLag.lagOf(i)) }))
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("--metrics-addr: %w", err)
	}
	srv := &http.Server{Handler: promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), ReadHeaderTimeout: 5 * time.Second}
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
