package asyncsvc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/targets/broker"
	"github.com/segmentio/kafka-go"
)

// testCtx bounds a test so that it fails rather than hangs.
func testCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// topicName returns a topic name unique to this test and run, so that tests
// against one real cluster never share a topic.
func topicName(t *testing.T, what string) string {
	return fmt.Sprintf("loadgen.test.%s.%s.%d", strings.ToLower(t.Name()), what, time.Now().UnixNano())
}

// testBrokers returns brokers holding topics: those of $KAFKA_BROKERS
// (comma-separated) when set, so that these tests also run against real
// Kafka, the topics created there with EnsureTopics and deleted when the test
// ends; otherwise an embedded broker started with the topics, closed when the
// test ends.
func testBrokers(t *testing.T, topics ...broker.Topic) []string {
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
	ctx := testCtx(t, 30*time.Second)
	if err := EnsureTopics(ctx, nil, brokers, topics, 1); err != nil {
		t.Fatal(err)
	}
	deleteAtEnd(t, brokers, topics...)
	return brokers
}

// deleteAtEnd deletes topics from a real cluster when the test ends.
func deleteAtEnd(t *testing.T, brokers []string, topics ...broker.Topic) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		cc, err := dialController(ctx, wire.Plain().Dialer("", 10*time.Second), brokers)
		if err != nil {
			t.Errorf("delete topics: %v", err)
			return
		}
		defer cc.Close()
		for _, tp := range topics {
			if err := cc.DeleteTopics(tp.Name); err != nil {
				t.Errorf("delete topic %s: %v", tp.Name, err)
			}
		}
	})
}

// stream sends conv of every message of topic's partitions, from the first,
// until the test ends; the readers are stopped before it does.
func stream[T any](ctx context.Context, t *testing.T, brokers []string, topic string, partitions int, conv func(kafka.Message) T) <-chan T {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	out := make(chan T, 1024)
	var wg sync.WaitGroup
	for p := range partitions {
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic, Partition: p, MaxWait: 100 * time.Millisecond})
		wg.Go(func() {
			defer r.Close()
			for {
				m, err := r.ReadMessage(ctx)
				if err != nil {
					// The reader hands over a broker's error (on real Kafka, a
					// leader moment such as NOT_LEADER_OR_FOLLOWER) and goes on
					// from the same offset: read again until ctx is done. A
					// broken read shows as missing messages.
					if sleep(ctx, 50*time.Millisecond) != nil {
						return
					}
					continue
				}
				select {
				case out <- conv(m):
				case <-ctx.Done():
					return
				}
			}
		})
	}
	t.Cleanup(func() { cancel(); wg.Wait() })
	return out
}

// completions streams the completions on topic (one partition); a message
// that is not a well-formed completion fails the test.
func completions(ctx context.Context, t *testing.T, brokers []string, topic string) <-chan wire.Completion {
	return stream(ctx, t, brokers, topic, 1, func(m kafka.Message) wire.Completion {
		var c wire.Completion
		if err := json.Unmarshal(m.Value, &c); err != nil || c.ID == "" {
			t.Errorf("completion %q: %v", m.Value, err)
		}
		if id, _ := header(m, "loadgen-id"); string(id) != c.ID || string(m.Key) != c.ID {
			t.Errorf("completion %s: key %q, loadgen-id %q", c.ID, m.Key, id)
		}
		if g, _ := header(m, wire.KafkaGroupHeader); string(g) != c.Group {
			t.Errorf("completion %s: %s %q, want %q", c.ID, wire.KafkaGroupHeader, g, c.Group)
		}
		if _, ok := header(m, "loadgen-sent-ns"); !ok {
			t.Errorf("completion %s: no loadgen-sent-ns", c.ID)
		}
		return c
	})
}

// produceJobs produces jobs "job-0".."job-N-1" to topic, job i to partition
// i mod partitions, with loadgen-id and loadgen-sent-ns headers, one every
// gap (all at once for 0), and sends nil or the error on the returned
// channel when done.
//
// The writer has a transport of its own: kafka-go's default one is shared by
// the whole test binary and answers metadata from a cache refreshed every
// 6 s, in which a topic just created on real Kafka is unknown.
func produceJobs(ctx context.Context, brokers []string, topic string, n int, gap time.Duration) <-chan error {
	tr := &kafka.Transport{}
	w := &kafka.Writer{
		Addr:         kafka.TCP(brokers...),
		Topic:        topic,
		Balancer:     kafka.BalancerFunc(func(m kafka.Message, ps ...int) int { return ps[jobIndex(string(m.Key))%len(ps)] }),
		BatchTimeout: time.Millisecond,
		RequiredAcks: kafka.RequireAll,
		Transport:    tr,
	}
	done := make(chan error, 1)
	go func() {
		var err error
		defer func() {
			err = errors.Join(err, w.Close())
			tr.CloseIdleConnections()
			done <- err
		}()
		var msgs []kafka.Message
		for i := range n {
			id := fmt.Sprintf("job-%d", i)
			msgs = append(msgs, kafka.Message{Key: []byte(id), Value: []byte(`{}`), Headers: []kafka.Header{
				{Key: "loadgen-id", Value: []byte(id)},
				{Key: "loadgen-sent-ns", Value: fmt.Appendf(nil, "%d", time.Now().UnixNano())},
			}})
			if gap > 0 {
				if err = w.WriteMessages(ctx, msgs...); err != nil {
					return
				}
				msgs = msgs[:0]
				if err = sleep(ctx, gap); err != nil {
					return
				}
			}
		}
		if len(msgs) > 0 {
			err = w.WriteMessages(ctx, msgs...)
		}
	}()
	return done
}

// jobIndex is i of "job-i".
func jobIndex(id string) int {
	var i int
	fmt.Sscanf(id, "job-%d", &i)
	return i
}

// severable dials brokers until sever is called, which closes every
// connection it made and makes every later dial fail: to the broker, the
// process is gone without a word, as after SIGKILL. restore lets dials
// through again, as a broker back from a restart would.
type severable struct {
	mu      sync.Mutex
	conns   []net.Conn
	severed bool
}

func (s *severable) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.severed {
		return nil, errors.New("severed")
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err == nil {
		s.conns = append(s.conns, c)
	}
	return c, err
}

func (s *severable) sever() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.severed = true
	for _, c := range s.conns {
		c.Close()
	}
}

func (s *severable) restore() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.severed = false
	s.conns = nil
}
