package drive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/loadchaos/loadgen/internal/wire"
)

const (
	seededTopic     = "loadgen.jobs"
	topicPartitions = 3
)

// testBrokers returns the brokers of $KAFKA_BROKERS (comma-separated) when
// set, so that these tests can run against real Kafka, and otherwise starts
// an in-process kfake broker that lives until the test ends.
func testBrokers(t *testing.T) []string {
	t.Helper()
	if env := os.Getenv("KAFKA_BROKERS"); env != "" {
		return strings.Split(env, ",")
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(topicPartitions, seededTopic))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()
}

// testTopic returns a topic of topicPartitions partitions to produce to: the
// seeded one on kfake, a new uniquely named one on real Kafka, deleted when
// the test ends.
func testTopic(ctx context.Context, t *testing.T, brokers []string) string {
	t.Helper()
	if os.Getenv("KAFKA_BROKERS") == "" {
		return seededTopic
	}
	topic := fmt.Sprintf("loadgen.test.%s.%d", strings.ToLower(t.Name()), time.Now().UnixNano())
	cc := dialController(ctx, t, brokers)
	defer cc.Close()
	if err := cc.CreateTopics(kafka.TopicConfig{Topic: topic, NumPartitions: topicPartitions, ReplicationFactor: 1}); err != nil {
		t.Fatalf("create topic %s: %v", topic, err)
	}
	t.Cleanup(func() {
		cc := dialController(context.Background(), t, brokers)
		defer cc.Close()
		if err := cc.DeleteTopics(topic); err != nil {
			t.Errorf("delete topic %s: %v", topic, err)
		}
	})
	// A new topic reaches every broker's metadata a moment later. Ask each
	// on a connection of its own: a kafka.Client would answer from a cache.
	for _, b := range brokers {
		for {
			conn, err := kafka.DialContext(ctx, "tcp", b)
			if err != nil {
				t.Fatal(err)
			}
			ps, err := conn.ReadPartitions(topic)
			conn.Close()
			if err == nil && len(ps) == topicPartitions {
				break
			}
			select {
			case <-ctx.Done():
				t.Fatalf("topic %s not ready on %s: %v", topic, b, err)
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	// ... and the leaders named there serve their partitions a moment after
	// that: until then a produce fails with UNKNOWN_TOPIC_OR_PARTITION.
	for {
		err := servesPartitions(ctx, brokers, topic)
		if err == nil {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("topic %s: partitions not served: %v", topic, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	return topic
}

// servesPartitions asks the leader of each of topic's partitions for its end
// offset, through a new transport so that the metadata is fresh.
func servesPartitions(ctx context.Context, brokers []string, topic string) error {
	tr := &kafka.Transport{}
	defer tr.CloseIdleConnections()
	c := &kafka.Client{Addr: kafka.TCP(brokers...), Transport: tr}
	var offsets []kafka.OffsetRequest
	for p := range topicPartitions {
		offsets = append(offsets, kafka.LastOffsetOf(p))
	}
	res, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: offsets}})
	if err != nil {
		return err
	}
	if got := len(res.Topics[topic]); got != topicPartitions {
		return fmt.Errorf("%d partitions answered, want %d", got, topicPartitions)
	}
	for _, p := range res.Topics[topic] {
		if p.Error != nil {
			return fmt.Errorf("partition %d: %w", p.Partition, p.Error)
		}
	}
	return nil
}

// dialController connects to the cluster's controller, which alone creates
// and deletes topics.
func dialController(ctx context.Context, t *testing.T, brokers []string) *kafka.Conn {
	t.Helper()
	conn, err := kafka.DialContext(ctx, "tcp", brokers[0])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctrl, err := conn.Controller()
	if err != nil {
		t.Fatal(err)
	}
	cc, err := kafka.DialContext(ctx, "tcp", net.JoinHostPort(ctrl.Host, strconv.Itoa(ctrl.Port)))
	if err != nil {
		t.Fatal(err)
	}
	return cc
}

func newKafka(t *testing.T, cfg KafkaConfig) *Kafka {
	t.Helper()
	k, err := NewKafka(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

func TestKafkaProduce(t *testing.T) {
	const messages, callers, valueBytes = 200, 32, 300
	ctx := testCtx(t)
	brokers := testBrokers(t)
	topic := testTopic(ctx, t, brokers)
	k := newKafka(t, KafkaConfig{Brokers: brokers, Topic: topic, ValueBytes: valueBytes, MaxInFlight: callers})
	if err := k.Check(ctx); err != nil {
		t.Fatal(err)
	}

	reqs := make([]Request, messages)
	base := time.Now()
	for i := range reqs {
		reqs[i] = Request{Seq: uint64(i), ID: fmt.Sprintf("%s-%d", t.Name(), i), Intended: base.Add(time.Duration(i))}
	}
	outcomes := make([]Outcome, messages)
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			for i := c; i < messages; i += callers {
				outcomes[i] = k.Do(ctx, &reqs[i])
			}
		})
	}
	wg.Wait()
	for i, o := range outcomes {
		if o.Class != OK {
			t.Fatalf("message %d: outcome %v, want ok", i, o.Class)
		}
	}
	// Concurrent callers share produce requests rather than queue one by one
	// (which would take one request a message). How many share one depends on
	// the broker's speed: about 4-6 on the embedded broker, 2-4 on Apache
	// Kafka, which answers sooner; hence a bound with room for both.
	st := k.w.Stats()
	t.Logf("%d messages in %d produce requests", st.Messages, st.Writes)
	if most := int64(messages * 3 / 4); st.Messages != messages || st.Writes >= most {
		t.Errorf("%d messages in %d produce requests, want %d in fewer than %d", st.Messages, st.Writes, messages, most)
	}
	if err := k.Close(); err != nil {
		t.Fatal(err)
	}

	byID := make(map[string]Request, messages)
	for _, r := range reqs {
		byID[r.ID] = r
	}
	for _, m := range readAll(ctx, t, brokers, topic) {
		id := header(m, wire.KafkaIDHeader)
		r, ok := byID[id]
		if !ok {
			t.Errorf("offset %d/%d: unexpected id %q", m.Partition, m.Offset, id)
			continue
		}
		delete(byID, id)
		if string(m.Key) != id {
			t.Errorf("%s: key %q, want the id", id, m.Key)
		}
		if got, want := header(m, wire.KafkaSentNSHeader), strconv.FormatInt(r.Intended.UnixNano(), 10); got != want {
			t.Errorf("%s: %s %q, want %q", id, wire.KafkaSentNSHeader, got, want)
		}
		if len(m.Value) != valueBytes {
			t.Errorf("%s: value of %d bytes, want %d", id, len(m.Value), valueBytes)
		}
		var v struct {
			ID  string `json:"id"`
			Seq uint64 `json:"seq"`
		}
		if err := json.Unmarshal(m.Value, &v); err != nil || v.ID != id || v.Seq != r.Seq {
			t.Errorf("%s: value %q (%v), want id %s and seq %d", id, m.Value, err, id, r.Seq)
		}
	}
	if len(byID) > 0 {
		t.Errorf("%d messages acked but not in the topic", len(byID))
	}
}

// readAll reads the whole topic, partition by partition, up to the end
// offsets at the time of the call.
func readAll(ctx context.Context, t *testing.T, brokers []string, topic string) []kafka.Message {
	t.Helper()
	var msgs []kafka.Message
	for p := range topicPartitions {
		conn, err := kafka.DialLeader(ctx, "tcp", brokers[0], topic, p)
		if err != nil {
			t.Fatal(err)
		}
		first, last, err := conn.ReadOffsets()
		conn.Close()
		if err != nil {
			t.Fatal(err)
		}
		if first == last {
			continue
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic, Partition: p, MaxWait: 100 * time.Millisecond})
		for {
			m, err := r.ReadMessage(ctx)
			if err != nil {
				r.Close()
				t.Fatalf("read %s/%d: %v", topic, p, err)
			}
			msgs = append(msgs, m)
			if m.Offset >= last-1 {
				break
			}
		}
		r.Close()
	}
	return msgs
}

func header(m kafka.Message, key string) string {
	for _, h := range m.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

func TestKafkaBodyTemplateAndNoKey(t *testing.T) {
	ctx := testCtx(t)
	brokers := testBrokers(t)
	topic := testTopic(ctx, t, brokers)
	users := csvTable(t, "user_id\nu0\nu1\nu2\n")
	k := newKafka(t, KafkaConfig{Brokers: brokers, Topic: topic, Key: "none", Acks: "one",
		Body: "job {{id}} #{{seq}} for {{data.user_id}} at {{now}}", Values: Values{Data: users}})
	intended := time.Date(2026, 12, 1, 6, 0, 0, 5e6, time.UTC)
	if o := k.Do(ctx, &Request{Seq: 7, ID: "b-7", Intended: intended}); o.Class != OK {
		t.Fatalf("outcome %v, want ok", o.Class)
	}
	msgs := readAll(ctx, t, brokers, topic)
	want := "job b-7 #7 for u1 at 2026-12-01T06:00:00.005Z"
	if len(msgs) != 1 || string(msgs[0].Value) != want || msgs[0].Key != nil {
		t.Fatalf("topic holds %+v, want one message with value %q and no key", msgs, want)
	}
}

func TestKafkaKeyedByEntityPutsAnEntitysEventsOnOnePartitionInOrder(t *testing.T) {
	ctx := testCtx(t)
	brokers := testBrokers(t)
	topic := testTopic(ctx, t, brokers)
	k := newKafka(t, KafkaConfig{Brokers: brokers, Topic: topic, Key: "entity", Acks: "all"})
	const entities, events = 6, 4
	for seq := range uint64(entities * events) {
		r := &Request{Seq: seq, ID: "o-" + strconv.FormatUint(seq, 10), Key: "o-e" + strconv.FormatUint(seq/events, 10), Intended: time.Now()}
		if o := k.Do(ctx, r); o.Class != OK {
			t.Fatalf("%s: outcome %v, want ok", r.ID, o.Class)
		}
	}
	partitionOf, seen := map[string]int{}, map[string][]string{}
	for _, m := range readAll(ctx, t, brokers, topic) {
		key := string(m.Key)
		if p, ok := partitionOf[key]; ok && p != m.Partition {
			t.Errorf("key %s on partitions %d and %d, want one", key, p, m.Partition)
		}
		partitionOf[key] = m.Partition
		seen[key] = append(seen[key], header(m, wire.KafkaIDHeader))
	}
	if len(seen) != entities {
		t.Fatalf("keys %v, want %d entities", seen, entities)
	}
	for e := range uint64(entities) {
		key := "o-e" + strconv.FormatUint(e, 10)
		var want []string
		for i := range uint64(events) {
			want = append(want, "o-"+strconv.FormatUint(e*events+i, 10))
		}
		if !slices.Equal(seen[key], want) {
			t.Errorf("key %s holds %v, want %v in order", key, seen[key], want)
		}
	}
	if len(slices.Compact(slices.Sorted(maps.Values(partitionOf)))) < 2 {
		t.Errorf("partitions %v: the keys should spread over several", partitionOf)
	}
}

func TestKafkaErrors(t *testing.T) {
	ctx := testCtx(t)
	brokers := testBrokers(t)
	req := &Request{ID: "x", Intended: time.Now()}

	missing := newKafka(t, KafkaConfig{Brokers: brokers, Topic: "no.such.topic"})
	if o := missing.Do(ctx, req); o.Class != Broker {
		t.Errorf("missing topic: outcome %v, want broker", o.Class)
	}

	refused := newKafka(t, KafkaConfig{Brokers: []string{closedAddr(t)}, Topic: seededTopic})
	if o := refused.Do(ctx, req); o.Class != Refused {
		t.Errorf("closed port: outcome %v, want refused", o.Class)
	}

	silent := newKafka(t, KafkaConfig{Brokers: []string{startSilent(t)}, Topic: seededTopic, Timeout: 200 * time.Millisecond})
	if o := silent.Do(ctx, req); o.Class != Timeout {
		t.Errorf("broker that never answers: outcome %v, want timeout", o.Class)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if o := missing.Do(cancelled, req); o.Class != Other {
		t.Errorf("cancelled ctx: outcome %v, want other", o.Class)
	}
}

// startSilent starts a TCP server that accepts connections and never
// answers, like a paused broker.
func startSilent(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	return ln.Addr().String()
}

func TestKafkaCheck(t *testing.T) {
	ctx := testCtx(t)
	brokers := testBrokers(t)
	topic := testTopic(ctx, t, brokers)

	if err := newKafka(t, KafkaConfig{Brokers: brokers, Topic: topic}).Check(ctx); err != nil {
		t.Errorf("existing topic: Check = %v", err)
	}

	err := newKafka(t, KafkaConfig{Brokers: brokers, Topic: "no.such.topic"}).Check(ctx)
	if want := fmt.Sprintf("topic %q does not exist on brokers %v", "no.such.topic", brokers); err == nil || err.Error() != want {
		t.Errorf("missing topic: Check = %v, want %s", err, want)
	}

	// The first broker is down: Check moves on to the next.
	down := closedAddr(t)
	if err := newKafka(t, KafkaConfig{Brokers: append([]string{down}, brokers...), Topic: topic}).Check(ctx); err != nil {
		t.Errorf("first broker down: Check = %v", err)
	}

	// Refused, not timed out: Check fails as soon as the dial does.
	err = newKafka(t, KafkaConfig{Brokers: []string{down}, Topic: topic}).Check(ctx)
	if want := fmt.Sprintf("cannot connect to Kafka brokers [%s] (plaintext): ", down); err == nil || !strings.HasPrefix(err.Error(), want) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("closed port: Check = %v, want %s...connection refused", err, want)
	}
}

func TestNewKafkaInvalid(t *testing.T) {
	_, err := NewKafka(KafkaConfig{Key: "name", Acks: "some", ValueBytes: -1, Body: "{{Seq}}"})
	for _, w := range []string{"brokers", "topic", `key "name"`, `acks "some"`, "value bytes", "{{Seq}}"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("NewKafka = %v, want an error containing %q", err, w)
		}
	}
}
