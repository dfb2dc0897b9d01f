package run

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/phases"
	"github.com/loadchaos/loadgen/targets/asyncsvc"
	"github.com/loadchaos/loadgen/targets/broker"
	"github.com/loadchaos/loadgen/targets/work"
)

// TestTheUsersOwnGroupsLagIsWatched drives a topic the user's consumer
// group reads; its one consumer stops part way (as if paused), so that its
// lag builds. The group's lag must show per partition on the timeline, in
// the summary, and in the detect time of a fault at the consumer's stop.
func TestTheUsersOwnGroupsLagIsWatched(t *testing.T) {
	suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
	jobs, done, group := "jobs-"+suffix, "jobs.done-"+suffix, "svc-"+suffix
	brokers := testCluster(t, broker.Topic{Name: jobs, Partitions: 3}, broker.Topic{Name: done, Partitions: 1})

	consumerCtx, stopConsumer := context.WithTimeout(t.Context(), time.Minute)
	defer stopConsumer()
	ready := make(chan struct{})
	consumerErr := make(chan error, 1)
	go func() {
		consumerErr <- asyncsvc.RunConsumer(consumerCtx, asyncsvc.ConsumerConfig{Brokers: brokers, Topic: jobs, Group: group, CompletionsTopic: done,
			Model: work.Model{Service: work.Dist{Kind: work.Fixed, Median: time.Millisecond}}, Drain: time.Second}, func() { close(ready) })
	}()
	select {
	case <-ready:
	case err := <-consumerErr:
		t.Fatalf("the consumer did not start: %v", err)
	case <-consumerCtx.Done():
		t.Fatal("the consumer did not start")
	}

	// The consumer leaves its group 7 s into the load, which runs 14 s.
	const stopAtS = 7
	stopped := make(chan time.Time, 1)
	time.AfterFunc(stopAtS*time.Second, func() { stopped <- time.Now(); stopConsumer() })
	lastMetricsAddr.Store(nil)
	pollCtx, stopPolling := context.WithCancel(t.Context())
	metricSeen := make(chan float64, 1)
	go func() { metricSeen <- pollLagMetric(pollCtx, group) }()
	res := runFor(t, time.Minute, Options{Profile: constantProfile(t, 100, 14*time.Second), Brokers: brokers, Topic: jobs, LagGroups: []string{group},
		MetricsAddr: "127.0.0.1:0", Progress: metricsAddr{}})
	stopPolling()
	stoppedAt := <-stopped
	if seen := <-metricSeen; seen < 100 {
		t.Errorf("loadgen_lag_group_lag of %s: at most %v seen; want the growing lag served", group, seen)
	}

	a := res.Summary.Async
	g := a.LagGroups[group]
	if a.LagTopic != jobs || g == nil {
		t.Fatalf("lag topic %q, groups %v; want %s and group %s", a.LagTopic, a.LagGroups, jobs, group)
	}
	// About 700 messages arrived after the stop; some seconds may be late.
	if g.MaxLag < 300 || a.MaxLag == nil || *a.MaxLag != g.MaxLag {
		t.Fatalf("group max lag %d, async max lag %v; want at least 300, and the async figure the worst group's", g.MaxLag, a.MaxLag)
	}
	if len(g.MaxLagByPartition) != 3 {
		t.Fatalf("max lag by partition %v; want the 3 partitions", g.MaxLagByPartition)
	}
	var sumOfWorst int64
	for p, l := range g.MaxLagByPartition {
		if l == 0 {
			t.Errorf("partition %d never lagged: %v", p, g.MaxLagByPartition)
		}
		sumOfWorst += l
	}
	if sumOfWorst < g.MaxLag {
		t.Errorf("partitions' worst lags %v add up to less than the group's worst %d", g.MaxLagByPartition, g.MaxLag)
	}

	lines := 0
	err := bundle.ReadTimeline(res.Dir, func(l bundle.TimelineLine) error {
		if l.Path != bundle.PathAsyncLag {
			return nil
		}
		lines++
		var sum int64
		for _, v := range l.PartitionLag {
			sum += v
		}
		if l.Group != group || len(l.PartitionLag) != 3 || sum != l.Lag {
			t.Errorf("lag line %+v; want group %s, 3 partitions adding up to its lag", l, group)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if lines < 10 {
		t.Errorf("%d lag lines; want one a second", lines)
	}

	// The consumer's stop, as a chaos journal records a fault: the lag of
	// the user's group is what detects it (the load itself never falters).
	journal := filepath.Join(t.TempDir(), "journal.jsonl")
	entry, err := json.Marshal(bundle.JournalEntry{Time: stoppedAt.UTC(), TS: stopAtS, Stage: bundle.StageDone, Action: "pause", Target: "consumer-" + group})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(journal, append(entry, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	analysis, err := phases.Analyze(res.Dir, journal, res.Summary.Run.Started, res.Summary.Run.DurationS, res.Summary.Run.DurationS)
	if err != nil {
		t.Fatal(err)
	}
	if len(analysis.Chaos) != 1 || analysis.Chaos[0].DetectS == nil || *analysis.Chaos[0].DetectS > 5 {
		t.Fatalf("chaos %+v; want the stop detected within 5 s by the group's lag", analysis.Chaos)
	}
	if f := analysis.Phases[bundle.PhaseFault]; f == nil || f.Async == nil || f.Async.MaxLag == nil || *f.Async.MaxLag < 300 {
		t.Fatalf("fault phase %+v; want the group's lag in it", f)
	}
}

// pollLagMetric reads the run's metrics every half second until ctx ends and
// returns the highest loadgen_lag_group_lag of group it saw.
func pollLagMetric(ctx context.Context, group string) float64 {
	prefix := `loadgen_lag_group_lag{group="` + group + `"} `
	var highest float64
	for ctx.Err() == nil {
		time.Sleep(500 * time.Millisecond)
		addr := lastMetricsAddr.Load()
		if addr == nil {
			continue
		}
		status, body, err := fasthttp.Get(nil, "http://"+*addr+"/metrics")
		if err != nil || status != 200 {
			continue
		}
		for line := range strings.Lines(string(body)) {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), prefix); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					highest = max(highest, f)
				}
			}
		}
	}
	return highest
}
