package run

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/hist"
	"github.com/loadchaos/loadgen/internal/ledger"
	"github.com/loadchaos/loadgen/internal/pace"
)

const dashboardFile = "../../examples/grafana/loadgen.json"

// exportedNames walks the registry of a run with every kind of path and a
// consumer group, and returns the name of every family it exports.
func exportedNames(t *testing.T) map[string]bool {
	t.Helper()
	start := time.Now()
	paced := &path{name: "async", collector: hist.NewCollector(start, hist.Config{}), pacer: &pace.Pacer{}}
	closed := &path{name: "sync", collector: hist.NewCollector(start, hist.Config{})}
	s := &session{paths: []*path{paced, closed}, comps: &completions{groups: []*group{{name: "output", ledger: ledger.New(1)}}}}
	s.metrics = newMetrics()
	s.metrics.register(s)
	families, err := s.metrics.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range families {
		names[f.GetName()] = true
	}
	return names
}

// dashboardQueries is every query expression of the dashboard's panels.
func dashboardQueries(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	var exprs []string
	for _, p := range d.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("%s: panel %q has no query", dashboardFile, p.Title)
		}
		for _, tg := range p.Targets {
			exprs = append(exprs, tg.Expr)
		}
	}
	return exprs
}

var metricName = regexp.MustCompile(`\bloadgen_[a-z0-9_]+`)

func TestTheGrafanaDashboardQueriesOnlyMetricsTheRunExports(t *testing.T) {
	exported := exportedNames(t)
	used := map[string]bool{}
	for _, expr := range dashboardQueries(t) {
		for _, name := range metricName.FindAllString(expr, -1) {
			family := name
			for _, suffix := range []string{"_bucket", "_count", "_sum"} {
				if base, ok := strings.CutSuffix(name, suffix); ok && exported[base] {
					family = base
				}
			}
			if !exported[family] {
				t.Errorf("%s queries %s, which the run does not export", dashboardFile, name)
			}
			used[family] = true
		}
	}
	// What the dashboard is for: latency quantiles, rates, errors by class, lag.
	for _, want := range []string{"loadgen_latency_seconds", "loadgen_requests_sent_total", "loadgen_requests_errors_total", "loadgen_consumer_lag"} {
		if !used[want] {
			t.Errorf("%s does not chart %s", dashboardFile, want)
		}
	}
	if !strings.Contains(strings.Join(dashboardQueries(t), "\n"), "histogram_quantile(0.99, sum by (path, group) (rate(loadgen_latency_seconds{") {
		t.Errorf("%s has no p99 per path from the native histograms", dashboardFile)
	}
}
