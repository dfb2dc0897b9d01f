package drive

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/segmentio/kafka-go"

	"github.com/loadchaos/loadgen/internal/wire"
)

// LagSampler reads how many messages of one topic consumer groups have not
// committed yet, for the run to sample once a second.
//
// It keeps one kafka.Client for all its samples. The client's transport
// keeps its connections open and caches the cluster metadata (the topic's
// partitions and their leaders, refreshed every 6 s at most), so a sample
// costs two ListOffsets requests per partition and, per group, a
// FindCoordinator and an OffsetFetch. Each request is bounded by 5 s as well
// as by the sample's ctx. After a failure to reach the cluster before any
// metadata was read, samples fail until the next refresh.
type LagSampler struct {
	topic     string
	transport *kafka.Transport
	client    *kafka.Client
}

// NewLagSampler returns a sampler of the lag of groups on topic, read from
// the cluster of brokers through conn (nil: wire.Plain). It does not connect
// until the first Sample.
func NewLagSampler(brokers []string, topic string, conn *wire.KafkaConn) *LagSampler {
	t := cmp.Or(conn, wire.Plain()).Transport("", checkDialTimeout)
	return &LagSampler{
		topic:     topic,
		transport: t,
		client:    &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: checkDialTimeout, Transport: t},
	}
}

// Sample returns the lag of each group, in the order given: the sum over the
// partitions of the topic of the high watermark minus the group's committed
// offset.
//
// A partition the group never committed counts from its first offset
// present (the log start), and so does one whose commit is older than that:
// messages retention already deleted can no longer be consumed, so they are
// not lag. A group unknown to the cluster lags by every message present.
func (s *LagSampler) Sample(ctx context.Context, groups ...string) ([]int64, error) {
	byPartition, err := s.SamplePartitions(ctx, groups...)
	if err != nil {
		return nil, err
	}
	lags := make([]int64, len(groups))
	for i, parts := range byPartition {
		for _, l := range parts {
			lags[i] += l
		}
	}
	return lags, nil
}

// SamplePartitions returns the lag of each group (in the order given) on
// each partition of the topic, indexed by partition number: Kafka numbers a
// topic's partitions from 0. Lag is counted as Sample counts it.
func (s *LagSampler) SamplePartitions(ctx context.Context, groups ...string) ([][]int64, error) {
	offsets, err := topicOffsets(ctx, s.client, s.topic)
	if err != nil {
		return nil, err
	}
	parts := make([]int, len(offsets))
	for i, po := range offsets {
		if po.Partition != i {
			return nil, fmt.Errorf("topic %q: partition %d where %d was expected: partitions are numbered from 0", s.topic, po.Partition, i)
		}
		parts[i] = po.Partition
	}
	lags := make([][]int64, len(groups))
	for i, g := range groups {
		committed, err := s.committed(ctx, g, parts)
		if err != nil {
			return nil, err
		}
		lags[i] = make([]int64, len(offsets))
		for p, po := range offsets {
			c, ok := committed[po.Partition]
			if !ok {
				c = -1
			}
			lags[i][p] = partitionLag(po.FirstOffset, po.LastOffset, c)
		}
	}
	return lags, nil
}

// partitionLag is the lag of one partition whose offsets present run from
// first to end (exclusive) for a group that committed offset committed
// (-1: never).
func partitionLag(first, end, committed int64) int64 {
	return max(end-max(committed, first), 0)
}

// committed returns the committed offset of group on each partition it
// committed.
func (s *LagSampler) committed(ctx context.Context, group string, parts []int) (map[int]int64, error) {
	res, err := s.client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{s.topic: parts}})
	switch {
	case err != nil:
		return nil, fmt.Errorf("committed offsets of group %q on topic %q: %w", group, s.topic, err)
	case errors.Is(res.Error, kafka.GroupIdNotFound):
		// Some brokers (kfake) answer so for a group that never
		// committed; others answer offset -1 on every partition.
		return nil, nil
	case res.Error != nil:
		return nil, fmt.Errorf("committed offsets of group %q on topic %q: %w", group, s.topic, res.Error)
	}
	committed := make(map[int]int64, len(parts))
	for _, p := range res.Topics[s.topic] {
		if p.Error != nil {
			return nil, fmt.Errorf("committed offset of group %q on %s/%d: %w", group, s.topic, p.Partition, p.Error)
		}
		committed[p.Partition] = p.CommittedOffset
	}
	return committed, nil
}

// Close closes the sampler's connections.
func (s *LagSampler) Close() { s.transport.CloseIdleConnections() }

// GroupLag samples the lag of one group on topic once, on connections of its
// own: see LagSampler for what lag counts, and to sample repeatedly.
func GroupLag(ctx context.Context, brokers []string, group, topic string) (int64, error) {
	s := NewLagSampler(brokers, topic, nil)
	defer s.Close()
	lags, err := s.Sample(ctx, group)
	if err != nil {
		return 0, err
	}
	return lags[0], nil
}

// topicOffsets returns, for every partition of topic in partition order, its
// first offset present and its end offset (the high watermark: the offset
// the next message will get).
//
// It asks for the topic's partitions with a metadata request that does not
// let the broker create the topic: kafka-go's Conn.ReadPartitions would, on
// a cluster that creates topics on first use. A missing topic is an error
// wrapping kafka.UnknownTopicOrPartition.
func topicOffsets(ctx context.Context, client *kafka.Client, topic string) ([]kafka.PartitionOffsets, error) {
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, fmt.Errorf("read metadata of topic %q: %w", topic, err)
	}
	i := slices.IndexFunc(md.Topics, func(t kafka.Topic) bool { return t.Name == topic })
	switch {
	case i < 0:
		return nil, fmt.Errorf("topic %q does not exist: %w", topic, kafka.UnknownTopicOrPartition)
	case errors.Is(md.Topics[i].Error, kafka.UnknownTopicOrPartition):
		return nil, fmt.Errorf("topic %q does not exist: %w", topic, md.Topics[i].Error)
	case md.Topics[i].Error != nil:
		return nil, fmt.Errorf("topic %q: %w", topic, md.Topics[i].Error)
	}

	reqs := make([]kafka.OffsetRequest, 0, 2*len(md.Topics[i].Partitions))
	for _, p := range md.Topics[i].Partitions {
		reqs = append(reqs, kafka.FirstOffsetOf(p.ID), kafka.LastOffsetOf(p.ID))
	}
	res, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("list offsets of topic %q: %w", topic, err)
	}
	offsets := res.Topics[topic]
	for _, po := range offsets {
		if po.Error != nil {
			return nil, fmt.Errorf("list offsets of %s/%d: %w", topic, po.Partition, po.Error)
		}
	}
	if len(offsets) != len(md.Topics[i].Partitions) {
		return nil, fmt.Errorf("list offsets of topic %q: %d partitions answered of %d", topic, len(offsets), len(md.Topics[i].Partitions))
	}
	slices.SortFunc(offsets, func(a, b kafka.PartitionOffsets) int { return a.Partition - b.Partition })
	return offsets, nil
}
