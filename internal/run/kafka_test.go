package run

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/loadchaos/loadgen/internal/testkit"
	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/profiles"
	"github.com/loadchaos/loadgen/targets/asyncsvc"
	"github.com/loadchaos/loadgen/targets/broker"
	"github.com/loadchaos/loadgen/targets/work"
)

func TestDirectProduceRecordsAcceptLatency(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(3, "loadgen.jobs"))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	res := runFor(t, 30*time.Second, Options{Profile: constantProfile(t, 200, 2*time.Second),
		Brokers: cluster.ListenAddrs(), Topic: "loadgen.jobs"})
	a := res.Summary.Async
	// On a busy machine the generator may skip some requests as late: they
	// are counted, never silently lost.
	if a == nil || a.Accepted+a.Schedule.Late+a.Schedule.Dropped != 400 || a.Accepted == 0 || a.Rejected != 0 {
		t.Fatalf("async %+v; want 400 accepted or counted late, none rejected", a)
	}
	if a.AcceptLatencyMS.P50 <= 0 || a.AcceptLatencyMS.Max > 5000 {
		t.Fatalf("accept latency %+v; want positive and bounded", a.AcceptLatencyMS)
	}
	if res.Summary.Run.Targets.Topic != "loadgen.jobs" || len(res.Summary.Run.Targets.Brokers) != 1 {
		t.Fatalf("targets %+v; want the topic and broker named", res.Summary.Run.Targets)
	}
}

// testCluster returns the Kafka cluster of KAFKA_BROKERS (set by .ci/run
// for its Apache Kafka pass) with the topics created, or else an embedded
// broker with them, so that the same tests run on both.
func testCluster(t *testing.T, topics ...broker.Topic) []string {
	t.Helper()
	if env := os.Getenv("KAFKA_BROKERS"); env != "" {
		brokers := strings.Split(env, ",")
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		if err := asyncsvc.EnsureTopics(ctx, nil, brokers, topics, 1); err != nil {
			t.Fatal(err)
		}
		return brokers
	}
	b, err := broker.Start(broker.Config{Topics: topics})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b.Addrs()
}

// userAsyncService starts a user's async service on a cluster of its own:
// an edge and one consumer working as model says, jobs on a topic of
// jobPartitions, completions on a topic of their own. It returns the edge's
// URL, the brokers and the completions topic; the service stops with the
// test.
func userAsyncService(t *testing.T, jobPartitions int32, model work.Model) (url string, brokers []string, done string) {
	t.Helper()
	suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
	jobs := "jobs-" + suffix
	done = "jobs.done-" + suffix
	brokers = testCluster(t, broker.Topic{Name: jobs, Partitions: jobPartitions}, broker.Topic{Name: done, Partitions: 1})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	edgeAddr := make(chan string, 1)
	go asyncsvc.RunEdge(ctx, asyncsvc.EdgeConfig{Brokers: brokers, Topic: jobs}, func(a string) { edgeAddr <- a })
	consumerReady := make(chan struct{})
	go asyncsvc.RunConsumer(ctx, asyncsvc.ConsumerConfig{Brokers: brokers, Topic: jobs, Group: "svc-" + suffix, CompletionsTopic: done,
		Model: model}, func() { close(consumerReady) })
	select {
	case <-consumerReady:
	case <-ctx.Done():
		t.Fatal("the consumer did not start")
	}
	select {
	case a := <-edgeAddr:
		return "http://" + a + "/work", brokers, done
	case <-ctx.Done():
		t.Fatal("the edge did not start")
	}
	return "", nil, ""
}

func TestCompletionsTopicFollowsAUsersAsyncService(t *testing.T) {
	// A user's async service: an edge and one consumer on a cluster, its
	// completions on a topic of their own.
	url, brokers, done := userAsyncService(t, 2, work.Model{Service: work.Dist{Kind: work.Fixed, Median: time.Millisecond}})
	prof := constantProfile(t, 100, 3*time.Second)
	prof.HTTP.Method, prof.HTTP.Body = "POST", `{"id":"{{id}}"}`
	res := runFor(t, time.Minute, Options{Profile: prof, AsyncURL: url, Brokers: brokers, CompletionsTopic: done})
	a := res.Summary.Async
	if a.Completed == nil || *a.Completed != a.Accepted || *a.Lost != 0 || a.Accepted < 200 || a.E2ELatencyMS.P50 <= 0 {
		t.Fatalf("async %+v: want every accepted job followed to its completion", a)
	}
}

func TestEmbeddedDrillRunsOnGivenBrokers(t *testing.T) {
	// A cluster without the drill's topics: the drill creates its own and
	// starts no broker.
	brokers := testCluster(t)
	prof, err := profiles.Parse("drill.yaml", []byte(`version: 1
stages: [{shape: constant, rate: 50, for: 3s}]
environment: {work: {service: "fixed:2ms"}, backends: 1, drain: 20s}
`))
	if err != nil {
		t.Fatal(err)
	}
	res := runFor(t, 2*time.Minute, Options{Profile: prof, Binary: testkit.BuildCommand(t, "loadgen", ""), Brokers: brokers})
	a := res.Summary.Async
	if a.Completed == nil || *a.Lost != 0 || *a.Completed != a.Accepted || a.Accepted < 100 {
		t.Fatalf("async %+v: want every job completed on the given cluster", a)
	}
	if _, err := os.Stat(filepath.Join(res.Dir, "logs", "broker.log")); err == nil {
		t.Fatal("an embedded broker was started although brokers were given")
	}
}

func TestEmbeddedDrillWorkersConnectWithTheRunsKafkaSettings(t *testing.T) {
	// Only SASL lets a client in: the edge and the consumers, processes of
	// their own, connect with the settings the run was given.
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.EnableSASL(), kfake.Superuser("SCRAM-SHA-512", "drill", "s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	prof, err := profiles.Parse("drill.yaml", []byte(`version: 1
stages: [{shape: constant, rate: 50, for: 3s}]
environment: {work: {service: "fixed:2ms"}, backends: 1, drain: 20s}
`))
	if err != nil {
		t.Fatal(err)
	}
	res := runFor(t, 2*time.Minute, Options{Profile: prof, Binary: testkit.BuildCommand(t, "loadgen", ""), Brokers: cluster.ListenAddrs(),
		KafkaAuth: wire.KafkaAuth{SASL: "scram-sha-512", Username: "drill", Password: "s3cret"}})
	a := res.Summary.Async
	if a.Completed == nil || *a.Lost != 0 || *a.Completed != a.Accepted || a.Accepted < 100 {
		t.Fatalf("async %+v: want every job accepted and completed on the secured cluster", a)
	}
}

func TestAWrongPasswordFailsAtStart(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, "loadgen.jobs"), kfake.EnableSASL(),
		kfake.Superuser("SCRAM-SHA-512", "drill", "right"))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	_, err = Run(ctx, Options{Profile: constantProfile(t, 10, time.Second), Brokers: cluster.ListenAddrs(), Topic: "loadgen.jobs", Out: t.TempDir(),
		KafkaAuth: wire.KafkaAuth{SASL: "scram-sha-512", Username: "drill", Password: "wrong"}})
	var setup *SetupError
	if !errors.As(err, &setup) || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("got %v; want a setup error that does not print the password", err)
	}
	t.Log(err)
}
