package drive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/loadchaos/loadgen/internal/wire"
)

// produce writes msgs to topic, each to the partition its Partition field
// names, and waits for their acks.
//
// It has a transport of its own: kafka-go's default one is shared by the
// whole test binary and answers metadata from a cache refreshed every 6 s,
// in which a topic another test just created on real Kafka is unknown.
func produce(ctx context.Context, tb testing.TB, brokers []string, topic string, msgs ...kafka.Message) {
	tb.Helper()
	tr := &kafka.Transport{}
	defer tr.CloseIdleConnections()
	w := &kafka.Writer{
		Addr:         kafka.TCP(brokers...),
		Topic:        topic,
		Balancer:     kafka.BalancerFunc(func(m kafka.Message, _ ...int) int { return m.Partition }),
		BatchTimeout: time.Millisecond,
		RequiredAcks: kafka.RequireAll,
		Transport:    tr,
	}
	defer w.Close()
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		tb.Fatalf("produce to %s: %v", topic, err)
	}
}

// workerMsg is a completion as a consumer worker produces it.
func workerMsg(partition int, id, group, worker string, sentNS int64) kafka.Message {
	v, _ := json.Marshal(map[string]any{"id": id, "group": group, "worker": worker, "done_ns": time.Now().UnixNano()})
	return kafka.Message{Partition: partition, Value: v, Headers: []kafka.Header{
		{Key: wire.KafkaIDHeader, Value: []byte(id)},
		{Key: wire.KafkaSentNSHeader, Value: []byte(strconv.FormatInt(sentNS, 10))},
		{Key: wire.KafkaGroupHeader, Value: []byte(group)},
	}}
}

// stopWithin calls stop and fails the test if it does not return within 10 s.
func stopWithin(t *testing.T, stop func() error) error {
	t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- stop() }()
	select {
	case err := <-errc:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("stop did not return within 10 s")
		return nil
	}
}

func TestListenCompletions(t *testing.T) {
	const bulk = 300
	ctx := testCtx(t)
	brokers := testBrokers(t)
	topic := testTopic(ctx, t, brokers)

	// Another run's completions, on every partition, before the listener.
	var old []kafka.Message
	for p := range topicPartitions {
		old = append(old, workerMsg(p, fmt.Sprintf("old-%d", p), "g", "w0", 1))
	}
	produce(ctx, t, brokers, topic, old...)

	got := make(chan Completion, bulk+100)
	var inFn atomic.Int32
	var overlapped atomic.Bool
	stop, err := ListenCompletions(ctx, CompletionsConfig{Brokers: brokers, Topic: topic}, func(c Completion) {
		if inFn.Add(1) > 1 {
			overlapped.Store(true)
		}
		got <- c
		inFn.Add(-1)
	})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()

	want := []Completion{
		{ID: "run-a0", Group: "g1", Worker: "w1", SentNS: 1000},
		{ID: "run-a1", Group: "g2", Worker: "w2", SentNS: 1001},
		{ID: "run-a2", Group: "g1", Worker: "w3", SentNS: 1002},
		{ID: "svc-headers", SentNS: 1003},                          // a user's service copying both headers onto its own value
		{ID: "svc-id-only"},                                        // ... or only the id
		{ID: "json-only", Group: "g3", Worker: "w4", Failed: true}, // a worker's value without headers
		{}, // neither: the caller counts it as foreign
	}
	msgs := []kafka.Message{
		workerMsg(0, "run-a0", "g1", "w1", 1000),
		workerMsg(1, "run-a1", "g2", "w2", 1001),
		workerMsg(2, "run-a2", "g1", "w3", 1002),
		{Partition: 0, Value: []byte("<result/>"), Headers: []kafka.Header{
			{Key: wire.KafkaIDHeader, Value: []byte("svc-headers")}, {Key: wire.KafkaSentNSHeader, Value: []byte("1003")}}},
		{Partition: 1, Headers: []kafka.Header{{Key: wire.KafkaIDHeader, Value: []byte("svc-id-only")}}},
		{Partition: 2, Value: []byte(`{"id":"json-only","group":"g3","worker":"w4","done_ns":5,"failed":true}`)},
		{Partition: 0, Value: []byte("no id anywhere")},
	}
	for i := range bulk {
		msgs = append(msgs, workerMsg(i%topicPartitions, fmt.Sprintf("bulk-%d", i), "g1", "w1", int64(i)))
	}
	produce(ctx, t, brokers, topic, msgs...)

	var seen []Completion
	for len(seen) < len(msgs) {
		select {
		case c := <-got:
			if c.Seen.Before(start) || c.Seen.After(time.Now()) {
				t.Errorf("%q: seen at %v, not between the produce (%v) and now", c.ID, c.Seen, start)
			}
			c.Seen = time.Time{}
			seen = append(seen, c)
		case <-ctx.Done():
			t.Fatalf("%d completions of %d seen", len(seen), len(msgs))
		}
	}
	if err := stopWithin(t, stop); err != nil {
		t.Errorf("stop = %v", err)
	}
	if err := stopWithin(t, stop); err != nil {
		t.Errorf("second stop = %v", err)
	}
	if overlapped.Load() {
		t.Error("fn was called concurrently")
	}

	bulkSeen := 0
	for _, c := range seen {
		switch {
		case strings.HasPrefix(c.ID, "old-"):
			t.Errorf("%q: produced before the listener started, yet seen", c.ID)
		case strings.HasPrefix(c.ID, "bulk-"):
			bulkSeen++
		case !slices.Contains(want, c):
			t.Errorf("unexpected completion %+v", c)
		}
	}
	for _, w := range want {
		if !slices.Contains(seen, w) {
			t.Errorf("completion %+v not seen", w)
		}
	}
	if bulkSeen != bulk {
		t.Errorf("%d bulk completions seen, want %d", bulkSeen, bulk)
	}
}

func TestParseCompletion(t *testing.T) {
	seen := time.Unix(100, 0)
	h := func(k, v string) kafka.Header { return kafka.Header{Key: k, Value: []byte(v)} }
	for _, tc := range []struct {
		why  string
		m    kafka.Message
		want Completion
	}{
		{"headers win over the value",
			kafka.Message{Value: []byte(`{"id":"v","group":"vg","worker":"w"}`), Headers: []kafka.Header{h(wire.KafkaIDHeader, "h"), h(wire.KafkaGroupHeader, "hg")}},
			Completion{ID: "h", Group: "hg", Worker: "w"}},
		{"a malformed sent time is absent",
			kafka.Message{Headers: []kafka.Header{h(wire.KafkaIDHeader, "a"), h(wire.KafkaSentNSHeader, "12x")}},
			Completion{ID: "a"}},
		{"a sent time beyond int64 is absent",
			kafka.Message{Headers: []kafka.Header{h(wire.KafkaIDHeader, "a"), h(wire.KafkaSentNSHeader, "99999999999999999999")}},
			Completion{ID: "a"}},
		{"JSON of another shape adds nothing",
			kafka.Message{Value: []byte(`[1,2]`), Headers: []kafka.Header{h(wire.KafkaIDHeader, "a")}},
			Completion{ID: "a"}},
		{"other headers are ignored",
			kafka.Message{Headers: []kafka.Header{h("traceparent", "x"), h(wire.KafkaIDHeader, "a")}},
			Completion{ID: "a"}},
	} {
		tc.want.Seen = seen
		if got := parseCompletion(tc.m, seen); got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.why, got, tc.want)
		}
	}
}

func TestListenCompletionsErrors(t *testing.T) {
	ctx := testCtx(t)
	brokers := testBrokers(t)
	never := func(c Completion) { t.Errorf("fn called with %+v", c) }

	if _, err := ListenCompletions(ctx, CompletionsConfig{}, never); err == nil || !strings.Contains(err.Error(), "brokers: none given") {
		t.Errorf("no brokers: err = %v", err)
	}

	// Asked twice of a cluster that creates topics on first use: the first
	// call must not have created it.
	creating := brokers
	if os.Getenv("KAFKA_BROKERS") == "" {
		c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.AllowAutoTopicCreation())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		creating = c.ListenAddrs()
	}
	for range 2 {
		_, err := ListenCompletions(ctx, CompletionsConfig{Brokers: creating, Topic: "no.such.topic"}, never)
		if !errors.Is(err, kafka.UnknownTopicOrPartition) || !strings.Contains(err.Error(), `topic "no.such.topic" does not exist`) {
			t.Errorf("missing topic: err = %v", err)
		}
	}

	_, err := ListenCompletions(ctx, CompletionsConfig{Brokers: []string{closedAddr(t)}, Topic: seededTopic}, never)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("closed port: err = %v, want connection refused", err)
	}

	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err = ListenCompletions(short, CompletionsConfig{Brokers: []string{startSilent(t)}, Topic: seededTopic}, never)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("broker that never answers: err = %v, want the ctx deadline", err)
	}
}

// TestListenCompletionsCtxDone ends the listener by its ctx: stop still
// returns.
func TestListenCompletionsCtxDone(t *testing.T) {
	ctx := testCtx(t)
	brokers := testBrokers(t)
	topic := testTopic(ctx, t, brokers)
	lctx, cancel := context.WithCancel(ctx)
	stop, err := ListenCompletions(lctx, CompletionsConfig{Brokers: brokers, Topic: topic}, func(Completion) {})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := stopWithin(t, stop); err != nil {
		t.Errorf("stop = %v", err)
	}
}

// BenchmarkCompletionDelay measures how long a completion takes from the
// start of its produce to the listener's Seen, against the embedded broker,
// one message at a time so that each arrives while the readers wait.
func BenchmarkCompletionDelay(b *testing.B) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(topicPartitions, wire.DefaultCompletionsTopic))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(b.Context(), time.Minute)
	defer cancel()
	seen := make(chan Completion, 1)
	stop, err := ListenCompletions(ctx, CompletionsConfig{Brokers: c.ListenAddrs()}, func(c Completion) { seen <- c })
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	w := &kafka.Writer{Addr: kafka.TCP(c.ListenAddrs()...), Topic: wire.DefaultCompletionsTopic, Balancer: &kafka.RoundRobin{}, BatchSize: 1}
	defer w.Close()

	var delays, acks []time.Duration
	for b.Loop() {
		sent := time.Now()
		m := workerMsg(0, "d", "g", "w", sent.UnixNano())
		if err := w.WriteMessages(ctx, m); err != nil {
			b.Fatal(err)
		}
		acks = append(acks, time.Since(sent))
		select {
		case c := <-seen:
			delays = append(delays, c.Seen.Sub(time.Unix(0, c.SentNS)))
		case <-ctx.Done():
			b.Fatal("completion not seen")
		}
	}
	slices.Sort(delays)
	slices.Sort(acks)
	q := func(ds []time.Duration, p float64) float64 {
		return float64(ds[int(p*float64(len(ds)-1))].Microseconds())
	}
	b.ReportMetric(q(delays, 0.5), "p50-µs")
	b.ReportMetric(q(delays, 0.99), "p99-µs")
	b.ReportMetric(q(acks, 0.5), "ack-p50-µs")
}
