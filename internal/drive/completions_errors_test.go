package drive

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// cuttable dials brokers until cut, which closes every connection it made
// and fails every later dial, as a broker that went down would; restore lets
// dials through again.
type cuttable struct {
	mu    sync.Mutex
	conns []net.Conn
	down  bool
}

func (c *cuttable) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return nil, errors.New("cut")
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, addr)
	if err == nil {
		c.conns = append(c.conns, conn)
	}
	return conn, err
}

func (c *cuttable) cut() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.down = true
	for _, conn := range c.conns {
		conn.Close()
	}
	c.conns = nil
}

func (c *cuttable) restore() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.down = false
}

// outageListener listens through a cuttable link, counting read errors,
// and passes the ids it reads on the returned channel.
func outageListener(ctx context.Context, t *testing.T, brokers []string, topic string) (link *cuttable, readErrors *atomic.Int64, ids <-chan string, stop func() error) {
	t.Helper()
	link, readErrors = &cuttable{}, &atomic.Int64{}
	got := make(chan string, 100)
	stop, err := ListenCompletions(ctx, CompletionsConfig{Brokers: brokers, Topic: topic, dial: link.dial,
		ReadError: func(error) { readErrors.Add(1) }}, func(c Completion) { got <- c.ID })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stop() })
	return link, readErrors, got, stop
}

// everyPartition produces a completion with id prefix-P to each partition P.
func everyPartition(ctx context.Context, t *testing.T, brokers []string, topic, prefix string) {
	t.Helper()
	var msgs []kafka.Message
	for p := range topicPartitions {
		msgs = append(msgs, workerMsg(p, fmt.Sprintf("%s-%d", prefix, p), "g", "w", 1))
	}
	produce(ctx, t, brokers, topic, msgs...)
}

// awaitIDs fails the test unless n ids arrive before ctx is done.
func awaitIDs(ctx context.Context, t *testing.T, ids <-chan string, n int) {
	t.Helper()
	for range n {
		select {
		case <-ids:
		case <-ctx.Done():
			t.Fatal("completions not read before the test's deadline")
		}
	}
}

// awaitReadError waits until the listener has met a read error.
func awaitReadError(ctx context.Context, t *testing.T, readErrors *atomic.Int64) {
	t.Helper()
	for readErrors.Load() == 0 {
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			t.Fatal("no read error while the link was cut")
		}
	}
}

// TestListenCompletionsRecoversFromAnOutage cuts the listener off the
// broker until its readers fail, then restores the link: the completions
// produced meanwhile are read, the errors were counted, and stop returns nil.
func TestListenCompletionsRecoversFromAnOutage(t *testing.T) {
	ctx := testCtx(t)
	brokers := testBrokers(t)
	topic := testTopic(ctx, t, brokers)
	link, readErrors, ids, stop := outageListener(ctx, t, brokers, topic)
	everyPartition(ctx, t, brokers, topic, "before")
	awaitIDs(ctx, t, ids, topicPartitions)

	link.cut()
	awaitReadError(ctx, t, readErrors)
	everyPartition(ctx, t, brokers, topic, "during")
	link.restore()
	awaitIDs(ctx, t, ids, topicPartitions)
	if err := stopWithin(t, stop); err != nil {
		t.Errorf("stop after the readers recovered = %v, want nil", err)
	}
	t.Logf("%d read errors during the outage", readErrors.Load())
}

// TestListenCompletionsReportsAReaderThatDidNotRecover stops the listener
// while its link is still cut and completions wait unread: stop says so.
func TestListenCompletionsReportsAReaderThatDidNotRecover(t *testing.T) {
	ctx := testCtx(t)
	brokers := testBrokers(t)
	topic := testTopic(ctx, t, brokers)
	link, readErrors, ids, stop := outageListener(ctx, t, brokers, topic)
	everyPartition(ctx, t, brokers, topic, "before")
	awaitIDs(ctx, t, ids, topicPartitions)

	link.cut()
	awaitReadError(ctx, t, readErrors)
	everyPartition(ctx, t, brokers, topic, "during")
	err := stopWithin(t, stop)
	if err == nil || !strings.Contains(err.Error(), "not recovered") {
		t.Errorf("stop with completions unread = %v, want not recovered", err)
	}
}

// TestListenCompletionsReportsAReaderThatNeverRead cuts the link before
// anything is read: with nothing missed, a reader that never worked is
// still an error.
func TestListenCompletionsReportsAReaderThatNeverRead(t *testing.T) {
	ctx := testCtx(t)
	brokers := testBrokers(t)
	topic := testTopic(ctx, t, brokers)
	link, readErrors, _, stop := outageListener(ctx, t, brokers, topic)
	link.cut()
	awaitReadError(ctx, t, readErrors)
	err := stopWithin(t, stop)
	if err == nil || !strings.Contains(err.Error(), "never read a completion") {
		t.Errorf("stop of readers that never read = %v, want never read", err)
	}
}
