package run

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/ledger"
	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/profiles"
	"github.com/loadchaos/loadgen/targets/asyncsvc"
	"github.com/loadchaos/loadgen/targets/broker"
	"github.com/loadchaos/loadgen/targets/work"
)

// ordering shortens the scenario to 20 s, the consumer killed at 7.5 s,
// half-way between two of its commits, as edit then changes it.
func ordering(edit func(*profiles.Profile)) func(*profiles.Profile) {
	return func(p *profiles.Profile) {
		p.Duration = 20 * time.Second
		p.Limits.LateAfter = 100 * time.Millisecond
		p.Chaos[0].At = 7500 * time.Millisecond
		edit(p)
	}
}

func TestOrderingHoldsPerKeyUntilARedeliveryBreaksIt(t *testing.T) {
	s := runScenario(t, "ordering", ordering(func(*profiles.Profile) {}))
	claimHolds(t, s)
	a := s.Async
	g := a.Groups["workers"]
	if a.EventsPerKey != 4 || a.KeySpacing != 50 || g == nil || g.OrderViolations == nil {
		t.Fatalf("async %+v: want 4 events per key 50 apart, and the workers' order violations", a)
	}
	if *g.OrderViolations != *g.OrderViolationsFirst+*g.OrderViolationsRedelivered || *g.OrderViolationsRedelivered > g.Duplicates {
		t.Errorf("violations %d = %d first + %d redelivered, of %d duplicates: want the parts to add up, redeliveries among the duplicates",
			*g.OrderViolations, *g.OrderViolationsFirst, *g.OrderViolationsRedelivered, g.Duplicates)
	}
}

// Committing after every job, one job at a time, leaves a killed consumer
// nothing done and uncommitted to redo after a later event of its key.
func TestOrderingsClaimFailsWhenEveryJobIsCommitted(t *testing.T) {
	s := runScenario(t, "ordering", ordering(func(p *profiles.Profile) { p.Environment.Groups[0].CommitInterval = 0 }))
	claimFails(t, s, "async.groups.workers.order_violations_redelivered >= 1")
}

// A consumer working several jobs at once, with an entity's events in a
// row, finishes them in any order, with no fault at all.
func TestOrderingsClaimFailsWhenAConsumerWorksSeveralJobsAtOnce(t *testing.T) {
	s := runScenario(t, "ordering", ordering(func(p *profiles.Profile) {
		p.Duration, p.Chaos = 12*time.Second, nil
		p.Environment.Groups[0].Work = &profiles.Work{Service: "lognormal:5ms,60ms", Concurrency: 4}
		p.Kafka.KeySpacing = 1
	}))
	claimFails(t, s, "async.groups.workers.order_violations_first == 0")
}

// Keyed by entity, both async routes keep a key's events in order on one
// partition: loadgen producing to the topic, and an edge given Loadgen-Key.
// It runs on Apache Kafka too (KAFKA_BROKERS).
func TestKeyedEventsKeepTheirOrderOnBothAsyncRoutes(t *testing.T) {
	for _, route := range []string{"topic", "async-url"} {
		t.Run(route, func(t *testing.T) {
			suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
			jobs, done := "jobs-"+suffix, "jobs.done-"+suffix
			brokers := testCluster(t, broker.Topic{Name: jobs, Partitions: 3}, broker.Topic{Name: done, Partitions: 3})
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			ready := make(chan struct{})
			go asyncsvc.RunConsumer(ctx, asyncsvc.ConsumerConfig{Brokers: brokers, Topic: jobs, Group: "svc-" + suffix, CompletionsTopic: done,
				Model: work.Model{Service: work.Dist{Kind: work.Fixed, Median: time.Millisecond}, Concurrency: 1}}, func() { close(ready) })
			select {
			case <-ready:
			case <-ctx.Done():
				t.Fatal("the consumer did not start")
			}
			prof := constantProfile(t, 50, 3*time.Second)
			prof.Limits.LateAfter = 100 * time.Millisecond
			prof.HTTP.Method, prof.HTTP.Body = "POST", `{"id":"{{id}}"}`
			prof.Kafka.Key, prof.Kafka.EventsPerKey, prof.Kafka.KeySpacing = "entity", 4, 10
			opts := Options{Profile: prof, Brokers: brokers, CompletionsTopic: done, Topic: jobs}
			if route == "async-url" {
				edge := make(chan string, 1)
				go asyncsvc.RunEdge(ctx, asyncsvc.EdgeConfig{Brokers: brokers, Topic: jobs}, func(a string) { edge <- a })
				select {
				case a := <-edge:
					opts.Topic, opts.AsyncURL = "", "http://"+a+"/work"
				case <-ctx.Done():
					t.Fatal("the edge did not start")
				}
			}
			res := runFor(t, time.Minute, opts)
			checkKeyedRun(t, res.Summary.Async)
			checkJobKeys(ctx, t, brokers, jobs, res.Summary.Run.ID, ledger.Keying{EventsPerKey: 4, Spacing: 10})
		})
	}
}

// checkJobKeys reads every job on the topic's 3 partitions and checks that
// each is keyed by its entity and that an entity's events sit on one
// partition in order.
func checkJobKeys(ctx context.Context, t *testing.T, brokers []string, topic, runID string, k ledger.Keying) {
	t.Helper()
	type place struct{ partition, event int }
	last := map[string]place{}
	n := 0
	for p := range 3 {
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic, Partition: p, MaxWait: 100 * time.Millisecond})
		rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		for {
			m, err := r.ReadMessage(rctx)
			if err != nil {
				break // the partition's end, once nothing more comes
			}
			n++
			seq, ok := ledger.ParseID(runID+"-a", idOf(m))
			entity, event := k.Of(seq)
			want := runID + "-e" + strconv.FormatUint(entity, 10)
			if !ok || string(m.Key) != want {
				t.Errorf("job %s keyed %q, want %q", idOf(m), m.Key, want)
				continue
			}
			if before, seen := last[want]; seen && (before.partition != p || before.event >= int(event)) {
				t.Errorf("key %s: event %d on partition %d after event %d on partition %d", want, event, p, before.event, before.partition)
			}
			last[want] = place{p, int(event)}
		}
		cancel()
		r.Close()
	}
	if n < 100 {
		t.Errorf("%d jobs on the topic, want the run's", n)
	}
}

func idOf(m kafka.Message) string {
	for _, h := range m.Headers {
		if h.Key == wire.KafkaIDHeader {
			return string(h.Value)
		}
	}
	return ""
}

func checkKeyedRun(t *testing.T, a *bundle.Async) {
	t.Helper()
	g := a.Groups["output"]
	if a.EventsPerKey != 4 || a.KeySpacing != 10 || g == nil || g.OrderViolations == nil {
		t.Fatalf("async %+v: want 4 events per key 10 apart, and the group's order violations", a)
	}
	if *a.Lost != 0 || a.Accepted < 100 || *g.OrderViolations != 0 {
		t.Errorf("%d accepted, %d lost, %d order violations: want every job completed, each key in order", a.Accepted, *a.Lost, *g.OrderViolations)
	}
}
