package asyncsvc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/targets/broker"
	"github.com/segmentio/kafka-go"
)

// topicsTimeout bounds EnsureTopics when ctx has no deadline.
const topicsTimeout = 30 * time.Second

// EnsureTopics creates the topics that do not exist yet, each with its
// partitions (default 1) and replication copies of each (default 1), and
// waits until every broker in brokers reports them and every partition's
// leader serves it. Existing topics are left as they are, whatever their
// partitions. Without a deadline in ctx it gives up after 30 s.
// conn carries TLS and SASL; nil connects in plain text.
func EnsureTopics(ctx context.Context, conn *wire.KafkaConn, brokers []string, topics []broker.Topic, replication int) error {
	dialer := connOrPlain(conn).Dialer("", topicsTimeout)
	if len(brokers) == 0 {
		return errors.New("ensure topics: no brokers given")
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, topicsTimeout)
		defer cancel()
	}
	configs := make([]kafka.TopicConfig, len(topics))
	names := make([]string, len(topics))
	for i, t := range topics {
		configs[i] = kafka.TopicConfig{Topic: t.Name, NumPartitions: int(max(t.Partitions, 1)), ReplicationFactor: max(replication, 1)}
		names[i] = t.Name
	}

	cc, err := dialController(ctx, dialer, brokers)
	if err != nil {
		return fmt.Errorf("ensure topics %v: %w", names, err)
	}
	defer cc.Close()
	if err := cc.CreateTopics(configs...); err != nil { // TopicAlreadyExists is not an error
		return fmt.Errorf("ensure topics %v: create: %w", names, err)
	}
	for _, b := range brokers {
		if err := awaitTopics(ctx, dialer, b, names); err != nil {
			return fmt.Errorf("ensure topics %v: %w", names, err)
		}
	}
	if err := awaitLeaders(ctx, conn, brokers, names); err != nil {
		return fmt.Errorf("ensure topics %v: %w", names, err)
	}
	return nil
}

// dialController connects to the cluster's controller, which alone creates
// topics, through the first broker that answers. The connection's deadline
// is ctx's.
func dialController(ctx context.Context, dialer *kafka.Dialer, brokers []string) (*kafka.Conn, error) {
	var errs []error
	for _, b := range brokers {
		conn, err := dialer.DialContext(ctx, "tcp", b)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		deadline, _ := ctx.Deadline()
		conn.SetDeadline(deadline)
		ctrl, err := conn.Controller()
		conn.Close()
		if err != nil {
			errs = append(errs, fmt.Errorf("find the controller through %s: %w", b, err))
			continue
		}
		cc, err := dialer.DialContext(ctx, "tcp", net.JoinHostPort(ctrl.Host, strconv.Itoa(ctrl.Port)))
		if err != nil {
			return nil, fmt.Errorf("dial the controller: %w", err)
		}
		cc.SetDeadline(deadline)
		return cc, nil
	}
	return nil, fmt.Errorf("cannot reach brokers %v: %w", brokers, errors.Join(errs...))
}

// awaitTopics waits until broker b's metadata holds every topic: a new topic
// reaches each broker a moment after the controller. ReadPartitions lets a
// broker auto-create a topic it does not know, harmless here since the
// controller has them all already.
func awaitTopics(ctx context.Context, dialer *kafka.Dialer, b string, names []string) error {
	for {
		err := readTopics(ctx, dialer, b, names)
		if err == nil {
			return nil
		}
		if sleep(ctx, 50*time.Millisecond) != nil {
			return fmt.Errorf("not on broker %s: %w", b, err)
		}
	}
}

func readTopics(ctx context.Context, dialer *kafka.Dialer, b string, names []string) error {
	conn, err := dialer.DialContext(ctx, "tcp", b)
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	ps, err := conn.ReadPartitions(names...)
	if err != nil {
		return err
	}
	seen := make(map[string]bool, len(names))
	for _, p := range ps {
		seen[p.Topic] = true
	}
	for _, n := range names {
		if !seen[n] {
			return fmt.Errorf("topic %q missing", n)
		}
	}
	return nil
}

// awaitLeaders waits until the leader of every partition of the topics
// answers a ListOffsets for it. On Apache Kafka (KRaft) a broker's metadata
// names a new partition's leader a moment before that leader has created
// the partition's log: a produce or fetch in between fails with
// UNKNOWN_TOPIC_OR_PARTITION or NOT_LEADER_OR_FOLLOWER, which kafka-go's
// readers hand to the caller. Each try uses a new transport, so that its
// metadata is fresh rather than cached.
func awaitLeaders(ctx context.Context, conn *wire.KafkaConn, brokers []string, names []string) error {
	for {
		err := readLeaders(ctx, conn, brokers, names)
		if err == nil {
			return nil
		}
		if sleep(ctx, 50*time.Millisecond) != nil {
			return fmt.Errorf("partitions not served: %w", err)
		}
	}
}

func readLeaders(ctx context.Context, conn *wire.KafkaConn, brokers []string, names []string) error {
	tr := connOrPlain(conn).Transport("", topicsTimeout)
	defer tr.CloseIdleConnections()
	client := kafka.Client{Addr: kafka.TCP(brokers...), Transport: tr}
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: names})
	if err != nil {
		return err
	}
	req := &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{}}
	for _, t := range md.Topics {
		if t.Error != nil {
			return fmt.Errorf("topic %q: %w", t.Name, t.Error)
		}
		for _, p := range t.Partitions {
			req.Topics[t.Name] = append(req.Topics[t.Name], kafka.LastOffsetOf(p.ID))
		}
	}
	res, err := client.ListOffsets(ctx, req)
	if err != nil {
		return err
	}
	for topic, ps := range res.Topics {
		for _, p := range ps {
			if p.Error != nil {
				return fmt.Errorf("partition %s/%d: %w", topic, p.Partition, p.Error)
			}
		}
	}
	return nil
}
