package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/testkit"
	"github.com/loadchaos/loadgen/targets/asyncsvc"
	"github.com/loadchaos/loadgen/targets/broker"
	"github.com/segmentio/kafka-go"
)

// TestDrillLosesNothingWhenAConsumerIsKilled runs a short drill: three
// consumer processes, one SIGKILLed 4 s into 15 s of load. On the embedded
// broker, or on the cluster of $KAFKA_BROKERS when set (CI runs it on
// Apache Kafka too): every accepted job is completed, the survivors take the
// dead one's partitions once its session times out, duplicates are counted.
func TestDrillLosesNothingWhenAConsumerIsKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("a 15 s drill with processes")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	bin := testkit.BuildCommand(t, "loadgen", "")
	run := fmt.Sprintf("drill%d", time.Now().UnixNano())
	topics := []broker.Topic{{Name: run + ".jobs", Partitions: 6}, {Name: run + ".completions", Partitions: 1}}
	brokers := testBrokers(ctx, t, topics)

	const session = 6 * time.Second
	var log strings.Builder
	res, err := Drill(ctx, Config{
		Loadgen: bin, Brokers: brokers, JobsTopic: topics[0].Name, CompletionsTopic: topics[1].Name,
		Group: run, Consumers: 3, SessionTimeout: session,
		Rate: 100, Duration: 15 * time.Second, FaultAt: 4 * time.Second, Drain: 30 * time.Second,
		Out: t.TempDir(), Log: &log,
	})
	t.Log(log.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("jobs %d (loadgen accepted %d), completed %d, lost %d, duplicates %d (redone by %v); takeover %.2fs, backlog cleared %.2fs after the kill; %.0f completions/s, e2e p99 %.0f ms before the kill",
		res.Jobs, res.Accepted, res.Completed, res.Lost, res.Duplicates, res.RedoneBy, res.TakeoverS, res.BacklogClearedS, res.ThroughputPerS, res.E2EBeforeP99MS)
	// The load may be marked invalid on a machine busy with other tests:
	// loss and takeover are what this test is about.
	if res.Jobs < 1000 || res.Accepted != res.Jobs {
		t.Errorf("%d jobs in the topic, loadgen counted %d accepted: want them equal, at least 1000", res.Jobs, res.Accepted)
	}
	if res.Lost != 0 || res.Uncompleted != 0 || res.Unexpected != 0 {
		t.Errorf("lost %d, uncompleted %d, unexpected %d: want none", res.Lost, res.Uncompleted, res.Unexpected)
	}
	if len(res.AffectedPartitions) == 0 {
		t.Errorf("the killed consumer completed nothing before the kill")
	}
	// Its partitions move when its session times out, not before (it never
	// left the group), and not long after.
	if min, max := session.Seconds()-1, session.Seconds()+8; res.TakeoverS < min || res.TakeoverS > max {
		t.Errorf("takeover %.2fs after the kill: want between %.0fs and %.0fs (session timeout %v)", res.TakeoverS, min, max, session)
	}
}

// testBrokers returns brokers holding topics: those of $KAFKA_BROKERS when
// set, the topics created there (and deleted when the test ends), otherwise
// an embedded broker started with them.
func testBrokers(ctx context.Context, t *testing.T, topics []broker.Topic) []string {
	t.Helper()
	env := os.Getenv("KAFKA_BROKERS")
	if env == "" {
		b, err := broker.Start(broker.Config{Topics: topics})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(b.Close)
		return b.Addrs()
	}
	brokers := strings.Split(env, ",")
	if err := asyncsvc.EnsureTopics(ctx, nil, brokers, topics, 1); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		tr := &kafka.Transport{}
		defer tr.CloseIdleConnections()
		var names []string
		for _, tp := range topics {
			names = append(names, tp.Name)
		}
		c := &kafka.Client{Addr: kafka.TCP(brokers...), Transport: tr}
		res, err := c.DeleteTopics(ctx, &kafka.DeleteTopicsRequest{Topics: names})
		if err == nil {
			for _, e := range res.Errors {
				err = errors.Join(err, e)
			}
		}
		if err != nil {
			t.Errorf("delete topics %v: %v", names, err)
		}
	})
	return brokers
}
