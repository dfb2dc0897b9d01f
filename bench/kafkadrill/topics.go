package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/segmentio/kafka-go"
)

// job is one message of the jobs topic: an accepted request.
type job struct {
	partition int
	sentNS    int64
}

// topicSize is how many messages topic holds (end minus start offsets).
func topicSize(ctx context.Context, brokers []string, topic string) (int64, error) {
	tr := &kafka.Transport{}
	defer tr.CloseIdleConnections()
	c := &kafka.Client{Addr: kafka.TCP(brokers...), Transport: tr, Timeout: 10 * time.Second}
	md, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return 0, err
	}
	if len(md.Topics) != 1 || md.Topics[0].Error != nil {
		return 0, fmt.Errorf("topic %s: %v", topic, md.Topics)
	}
	var reqs []kafka.OffsetRequest
	for _, p := range md.Topics[0].Partitions {
		reqs = append(reqs, kafka.FirstOffsetOf(p.ID), kafka.LastOffsetOf(p.ID))
	}
	res, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return 0, err
	}
	var n int64
	for _, p := range res.Topics[topic] {
		if p.Error != nil {
			return 0, p.Error
		}
		n += p.LastOffset - p.FirstOffset
	}
	return n, nil
}

// readJobs reads the whole jobs topic: each id's partition and intended
// send time.
func readJobs(ctx context.Context, brokers []string, topic string) (map[string]job, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	conn, err := kafka.DialContext(ctx, "tcp", brokers[0])
	if err != nil {
		return nil, err
	}
	parts, err := conn.ReadPartitions(topic)
	conn.Close()
	if err != nil {
		return nil, err
	}
	jobs := map[string]job{}
	for _, p := range parts {
		lc, err := kafka.DialLeader(ctx, "tcp", brokers[0], topic, p.ID)
		if err != nil {
			return nil, err
		}
		first, last, err := lc.ReadOffsets()
		lc.Close()
		if err != nil {
			return nil, err
		}
		if first == last {
			continue
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic, Partition: p.ID, MaxWait: 100 * time.Millisecond})
		r.SetOffset(first)
		for {
			m, err := r.ReadMessage(ctx)
			if err != nil {
				r.Close()
				return nil, fmt.Errorf("read %s/%d: %w", topic, p.ID, err)
			}
			var id string
			j := job{partition: p.ID}
			for _, h := range m.Headers {
				switch h.Key {
				case wire.KafkaIDHeader:
					id = string(h.Value)
				case wire.KafkaSentNSHeader:
					j.sentNS, _ = strconv.ParseInt(string(h.Value), 10, 64)
				}
			}
			jobs[id] = j
			if m.Offset >= last-1 {
				break
			}
		}
		r.Close()
	}
	return jobs, nil
}
