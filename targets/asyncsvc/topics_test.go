package asyncsvc

import (
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/targets/broker"
	"github.com/loadchaos/loadgen/targets/work"
	"github.com/segmentio/kafka-go"
)

func TestEnsureTopics(t *testing.T) {
	ctx := testCtx(t, 30*time.Second)
	brokers := testBrokers(t)
	a, b := topicName(t, "a"), topicName(t, "b")
	if os.Getenv("KAFKA_BROKERS") != "" {
		deleteAtEnd(t, brokers, broker.Topic{Name: a}, broker.Topic{Name: b})
	}
	if err := EnsureTopics(ctx, nil, brokers, []broker.Topic{{Name: a, Partitions: 3}}, 1); err != nil {
		t.Fatal(err)
	}
	// An existing topic is fine, and keeps its partitions.
	if err := EnsureTopics(ctx, nil, brokers, []broker.Topic{{Name: a, Partitions: 5}, {Name: b}}, 0); err != nil {
		t.Fatal(err)
	}
	conn, err := kafka.DialContext(ctx, "tcp", brokers[0])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for topic, want := range map[string]int{a: 3, b: 1} {
		if ps, err := conn.ReadPartitions(topic); err != nil || len(ps) != want {
			t.Errorf("topic %s: %d partitions (%v), want %d", topic, len(ps), err, want)
		}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().String()
	ln.Close()
	err = EnsureTopics(ctx, nil, []string{down}, []broker.Topic{{Name: a}}, 1)
	if err == nil || !strings.Contains(err.Error(), "cannot reach brokers") {
		t.Errorf("broker down: EnsureTopics = %v, want cannot reach brokers", err)
	}
}

func TestRunConsumerRefusesToStart(t *testing.T) {
	ctx := testCtx(t, 20*time.Second)
	jobs := topicName(t, "jobs")
	brokers := testBrokers(t, broker.Topic{Name: jobs})
	for _, tc := range []struct {
		name string
		cfg  ConsumerConfig
		want []string
	}{
		{"invalid", ConsumerConfig{SessionTimeout: time.Second, Heartbeat: 2 * time.Second, Drain: -1, Model: work.Model{Concurrency: -1}},
			[]string{"brokers: none given", "group: none given", "concurrency -1", "drain -1ns", "heartbeat 2s: must be below the session timeout 1s"}},
		{"missing topic", ConsumerConfig{Brokers: brokers, Group: "g", Topic: jobs, CompletionsTopic: "no.such.topic"},
			[]string{`topic "no.such.topic" does not exist`}},
	} {
		err := RunConsumer(ctx, tc.cfg, func() { t.Errorf("%s: consumer started", tc.name) })
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: RunConsumer = %v, want an error containing %q", tc.name, err, w)
			}
		}
	}
}
