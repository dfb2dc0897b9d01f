package asyncsvc

import (
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/targets/broker"
	"github.com/segmentio/kafka-go"
)

func TestEdgeKeysAJobByItsLoadgenKey(t *testing.T) {
	ctx := testCtx(t, 30*time.Second)
	topic := topicName(t, "jobs")
	brokers := testBrokers(t, broker.Topic{Name: topic, Partitions: 2})
	url, stop := startEdge(t, EdgeConfig{Brokers: brokers, Topic: topic})
	for _, tc := range []struct {
		name, id, key string
		status        int
	}{
		{"keyed", "k-1", "run-e7", 202},
		{"keyed at the bound", "k-2", strings.Repeat("k", wire.MaxKeyBytes), 202},
		{"no key: the id", "k-3", "", 202},
		{"over the bound", "k-4", strings.Repeat("k", wire.MaxKeyBytes+1), 400},
		{"a space", "k-5", "run e7", 400},
		{"not ASCII", "k-6", "run-é", 400},
	} {
		h := map[string]string{wire.HTTPIDHeader: tc.id}
		if tc.key != "" {
			h[wire.HTTPKeyHeader] = tc.key
		}
		r := do(t, "POST", url+"/work", `{}`, h)
		want := "over 128 bytes or not printable ASCII"
		if r.status != tc.status || (tc.status == 400 && r.body["error"] != wire.HTTPKeyHeader+": "+want) {
			t.Errorf("%s: %d %v, want %d", tc.name, r.status, r.body, tc.status)
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"k-1": "run-e7", "k-2": strings.Repeat("k", wire.MaxKeyBytes), "k-3": "k-3"}
	msgs := stream(ctx, t, brokers, topic, 2, func(m kafka.Message) kafka.Message { return m })
	for range len(want) {
		select {
		case m := <-msgs:
			id, _ := header(m, wire.KafkaIDHeader)
			if key, ok := want[string(id)]; !ok || string(m.Key) != key {
				t.Errorf("job %q keyed %q, want %q", id, m.Key, key)
			}
			delete(want, string(id))
		case <-ctx.Done():
			t.Fatalf("jobs missing from the topic: %v", want)
		}
	}
}

func TestACompletionHasItsJobsKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		key  string
		want string
	}{
		{"keyed by entity", "run-e3", "run-e3"},
		{"no key: the id", "", "run-a12"},
	} {
		job := kafka.Message{Key: []byte(tc.key), Headers: []kafka.Header{{Key: wire.KafkaIDHeader, Value: []byte("run-a12")}}}
		if got := completionMessage(job, "g", "w", time.Now(), false); string(got.Key) != tc.want {
			t.Errorf("%s: completion keyed %q, want %q", tc.name, got.Key, tc.want)
		}
	}
}

// A consumer with a commit interval commits nothing between its ticks, only
// when it leaves: a crash before then leaves its jobs to be done again.
func TestConsumerCommitsOnItsIntervalNotAfterEachJob(t *testing.T) {
	const jobs = 5
	ctx := testCtx(t, 60*time.Second)
	jobsTopic, doneTopic := topicName(t, "jobs"), topicName(t, "completions")
	brokers := testBrokers(t, broker.Topic{Name: jobsTopic, Partitions: 1}, broker.Topic{Name: doneTopic, Partitions: 1})
	committed := func(group string) int64 {
		t.Helper()
		c := kafka.Client{Addr: kafka.TCP(brokers...), Transport: &kafka.Transport{}}
		res, err := c.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{jobsTopic: {0}}})
		if err != nil {
			t.Fatal(err)
		}
		return res.Topics[jobsTopic][0].CommittedOffset
	}
	if err := <-produceJobs(ctx, brokers, jobsTopic, jobs, 0); err != nil {
		t.Fatal(err)
	}
	done := completions(ctx, t, brokers, doneTopic)
	for _, tc := range []struct {
		name     string
		interval time.Duration
	}{{"after each job", 0}, {"an hour", time.Hour}} {
		group := topicName(t, "group")
		r := startConsumer(t, ConsumerConfig{Brokers: brokers, Topic: jobsTopic, CompletionsTopic: doneTopic, Group: group,
			Worker: group, Model: model, CommitInterval: tc.interval})
		for range jobs {
			select {
			case <-done:
			case <-ctx.Done():
				t.Fatalf("%s: jobs not completed", tc.name)
			}
		}
		// A synchronous commit follows each completion closely: wait for it.
		deadline := time.Now().Add(5 * time.Second)
		for tc.interval == 0 && committed(group) != jobs && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		time.Sleep(300 * time.Millisecond)
		if got, want := committed(group), map[bool]int64{true: jobs, false: -1}[tc.interval == 0]; got != want {
			t.Errorf("%s: committed offset %d while running, want %d", tc.name, got, want)
		}
		if err := r.stop(t); err != nil {
			t.Fatal(err)
		}
		if got := committed(group); got != jobs {
			t.Errorf("%s: committed offset %d once it left, want %d", tc.name, got, jobs)
		}
	}
}
