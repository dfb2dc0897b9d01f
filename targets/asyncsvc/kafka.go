package asyncsvc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/loadchaos/loadgen/internal/wire"
)

// dialFunc opens a connection to a broker. nil dials with net.Dialer; tests
// set one that can cut every connection at once, as a crash would.
type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// batchLinger is how long a produce batch waits for more messages. kafka-go's
// 1 s default would be added to every accept and completion latency.
const batchLinger = time.Millisecond

// newWriter returns a writer that produces to topic, keyed by the Hash
// balancer, acked by every in-sync replica, and never creates the topic.
// Concurrent WriteMessages calls share produce requests (see
// drive.Kafka); attempts bounds kafka-go's retries of a failed produce.
func newWriter(brokers []string, topic string, conn *wire.KafkaConn, clientID string, timeout time.Duration, attempts int, dial dialFunc) *kafka.Writer {
	transport := connOrPlain(conn).Transport(clientID, timeout)
	transport.Dial = dial
	return &kafka.Writer{
		Addr:                   kafka.TCP(brokers...),
		Topic:                  topic,
		Balancer:               &kafka.Hash{},
		MaxAttempts:            attempts,
		BatchTimeout:           batchLinger,
		ReadTimeout:            timeout,
		WriteTimeout:           timeout,
		RequiredAcks:           kafka.RequireAll,
		AllowAutoTopicCreation: false,
		Transport:              transport,
	}
}

// connOrPlain is conn, or a plain connection when it is nil.
func connOrPlain(conn *wire.KafkaConn) *wire.KafkaConn {
	if conn == nil {
		return wire.Plain()
	}
	return conn
}

// checkTopics fails unless every topic exists, asking the brokers for
// metadata without letting them create anything.
func checkTopics(ctx context.Context, brokers []string, transport kafka.RoundTripper, topics ...string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	client := kafka.Client{Addr: kafka.TCP(brokers...), Transport: transport}
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: topics})
	if err != nil {
		return fmt.Errorf("read metadata of topics %v from brokers %v: %w", topics, brokers, err)
	}
	var errs []error
	for _, topic := range topics {
		i := slices.IndexFunc(md.Topics, func(t kafka.Topic) bool { return t.Name == topic })
		switch {
		case i < 0 || errors.Is(md.Topics[i].Error, kafka.UnknownTopicOrPartition):
			errs = append(errs, fmt.Errorf("topic %q does not exist on brokers %v", topic, brokers))
		case md.Topics[i].Error != nil:
			errs = append(errs, fmt.Errorf("topic %q on brokers %v: %w", topic, brokers, md.Topics[i].Error))
		}
	}
	return errors.Join(errs...)
}
