package drive

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

func TestPartitionLag(t *testing.T) {
	for _, tc := range []struct {
		first, end, committed, want int64
		why                         string
	}{
		{0, 100, 30, 70, "committed 30 of 100"},
		{0, 100, 100, 0, "committed all"},
		{0, 100, -1, 100, "never committed: every message present"},
		{40, 100, -1, 60, "never committed, retention deleted 40: only those present"},
		{40, 100, 10, 60, "committed before the log start: only those present"},
		{0, 0, -1, 0, "an empty partition"},
		{0, 100, 120, 0, "a commit beyond the end (a recreated topic) is not negative lag"},
	} {
		if got := partitionLag(tc.first, tc.end, tc.committed); got != tc.want {
			t.Errorf("%s: partitionLag(%d, %d, %d) = %d, want %d", tc.why, tc.first, tc.end, tc.committed, got, tc.want)
		}
	}
}

// commit commits offsets (by partition) of topic for group, as a consumer
// outside a group generation does.
func commit(ctx context.Context, t *testing.T, brokers []string, group, topic string, offsets ...int64) {
	t.Helper()
	tr := &kafka.Transport{}
	defer tr.CloseIdleConnections()
	c := &kafka.Client{Addr: kafka.TCP(brokers...), Transport: tr}
	var oc []kafka.OffsetCommit
	for p, o := range offsets {
		oc = append(oc, kafka.OffsetCommit{Partition: p, Offset: o})
	}
	res, err := c.OffsetCommit(ctx, &kafka.OffsetCommitRequest{GroupID: group, GenerationID: -1, Topics: map[string][]kafka.OffsetCommit{topic: oc}})
	if err != nil {
		t.Fatalf("commit %v for %s: %v", offsets, group, err)
	}
	for _, p := range res.Topics[topic] {
		if p.Error != nil {
			t.Fatalf("commit %s/%d for %s: %v", topic, p.Partition, group, p.Error)
		}
	}
}

func TestLagSampler(t *testing.T) {
	ctx := testCtx(t)
	brokers := testBrokers(t)
	topic := testTopic(ctx, t, brokers)
	// Unique names: on real Kafka, groups outlive the test.
	group := fmt.Sprintf("loadgen.test.lag.%d", time.Now().UnixNano())
	unknown := group + ".unknown"

	// 100 messages: 34, 33 and 33 on the three partitions.
	var msgs []kafka.Message
	for i := range 100 {
		msgs = append(msgs, kafka.Message{Partition: i % topicPartitions, Value: []byte("m")})
	}
	produce(ctx, t, brokers, topic, msgs...)

	s := NewLagSampler(brokers, topic, nil)
	defer s.Close()
	sample := func(why string, want ...int64) {
		t.Helper()
		got, err := s.Sample(ctx, group, unknown)
		if err != nil {
			t.Fatalf("%s: %v", why, err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: lags of %s and an unknown group = %v, want %v", why, group, got, want)
		}
	}

	sample("nothing committed", 100, 100)
	commit(ctx, t, brokers, group, topic, 10, 10, 10)
	sample("30 committed", 70, 100)
	commit(ctx, t, brokers, group, topic, 34, 33, 33)
	sample("all committed", 0, 100)
	produce(ctx, t, brokers, topic, kafka.Message{Partition: 1, Value: []byte("m")}, kafka.Message{Partition: 2, Value: []byte("m")})
	sample("two more produced", 2, 102)
	byPartition, err := s.SamplePartitions(ctx, group, unknown)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]int64{{0, 1, 1}, {34, 34, 34}}; !slices.EqualFunc(byPartition, want, slices.Equal) {
		t.Errorf("lags by partition of %s and an unknown group = %v, want %v", group, byPartition, want)
	}

	if lag, err := GroupLag(ctx, brokers, group, topic); err != nil || lag != 2 {
		t.Errorf("GroupLag = %d, %v; want 2", lag, err)
	}
}

func TestLagErrors(t *testing.T) {
	ctx := testCtx(t)
	brokers := testBrokers(t)

	_, err := GroupLag(ctx, brokers, "g", "no.such.topic")
	if !errors.Is(err, kafka.UnknownTopicOrPartition) {
		t.Errorf("missing topic: err = %v, want unknown topic", err)
	}

	_, err = GroupLag(ctx, []string{closedAddr(t)}, "g", seededTopic)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("closed port: err = %v, want connection refused", err)
	}

	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err = GroupLag(short, []string{startSilent(t)}, "g", seededTopic)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("broker that never answers: err = %v, want the ctx deadline", err)
	}
}
