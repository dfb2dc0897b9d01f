package drive

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/loadchaos/loadgen/internal/wire"
)

// KafkaConfig configures a Kafka produce driver. A zero field takes the
// default it states.
type KafkaConfig struct {
	Brokers     []string        // bootstrap addresses, host:port; required
	Topic       string          // required; never created by the driver
	Key         string          // "id" (the key is the request id), "entity" (Request.Key) or "none"; default "id"
	ValueBytes  int             // value size when Body is empty (a longer JSON object is not cut); default 256
	Body        string          // value template (see package placeholder); default {"id":"..","seq":N} padded with spaces to ValueBytes
	Values      Values          // what Body's placeholders draw on besides the request
	Acks        string          // "all", "one" or "none"; default "all"
	Timeout     time.Duration   // a produce not acked by then is a Timeout; default 10s
	MaxInFlight int             // concurrent Do calls expected; sizes the batches; default 100
	Conn        *wire.KafkaConn // TLS and SASL; default wire.Plain()
}

const (
	defaultValueBytes   = 256
	defaultKafkaTimeout = 10 * time.Second
	defaultMaxInFlight  = 100

	// batchLinger is how long a batch waits for more messages. kafka-go's
	// 1 s default would be added to every accept latency.
	batchLinger = time.Millisecond
)

var requiredAcks = map[string]kafka.RequiredAcks{
	"all":  kafka.RequireAll,
	"one":  kafka.RequireOne,
	"none": kafka.RequireNone,
}

// Kafka produces each request as one message and returns when it is acked.
//
// Concurrent Do calls share produce requests: kafka-go's Writer keeps one
// open batch per partition that every caller appends to, and sends it when
// it holds MaxInFlight messages (every caller is waiting on it) or after
// 1 ms. One batch per partition is in flight at a time and the next one fills
// meanwhile, so callers are batched rather than serialized.
//
// A produce is attempted once (kafka-go retries are off): its outcome is
// what the broker did with that message, and Close cannot be held up by
// retries against a dead broker.
type Kafka struct {
	brokers   []string
	conn      *wire.KafkaConn
	topic     string
	key       string // id, entity or none
	timeout   time.Duration
	valueSize int
	body      *template // nil: the JSON value
	transport *kafka.Transport
	w         *kafka.Writer
}

var _ Driver = (*Kafka)(nil)

// NewKafka checks cfg, reporting every problem at once, and returns a driver
// with the defaults applied. It does not connect: see Check.
func NewKafka(cfg KafkaConfig) (*Kafka, error) {
	var errs []error
	if len(cfg.Brokers) == 0 {
		errs = append(errs, errors.New("brokers: none given"))
	}
	if cfg.Topic == "" {
		errs = append(errs, errors.New("topic: none given"))
	}
	key := cmp.Or(cfg.Key, "id")
	if key != "id" && key != "entity" && key != "none" {
		errs = append(errs, fmt.Errorf("key %q: want id, entity or none", cfg.Key))
	}
	acks, ok := requiredAcks[cmp.Or(cfg.Acks, "all")]
	if !ok {
		errs = append(errs, fmt.Errorf("acks %q: want all, one or none", cfg.Acks))
	}
	if cfg.ValueBytes < 0 {
		errs = append(errs, fmt.Errorf("value bytes %d: must not be negative", cfg.ValueBytes))
	}
	if cfg.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %v: must not be negative", cfg.Timeout))
	}
	if cfg.MaxInFlight < 0 {
		errs = append(errs, fmt.Errorf("max in flight %d: must not be negative", cfg.MaxInFlight))
	}
	var body *template
	if cfg.Body != "" {
		var err error
		if body, err = parseTemplate(cfg.Body, cfg.Values); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	timeout := cmp.Or(cfg.Timeout, defaultKafkaTimeout)
	k := &Kafka{
		brokers:   slices.Clone(cfg.Brokers),
		topic:     cfg.Topic,
		key:       key,
		timeout:   timeout,
		valueSize: cmp.Or(cfg.ValueBytes, defaultValueBytes),
		body:      body,
		conn:      cmp.Or(cfg.Conn, wire.Plain()),
	}
	k.transport = k.conn.Transport("", checkDialTimeout)
	var balancer kafka.Balancer = &kafka.RoundRobin{}
	if key != "none" {
		balancer = &kafka.Hash{}
	}
	k.w = &kafka.Writer{
		Addr:                   kafka.TCP(k.brokers...),
		Topic:                  k.topic,
		Balancer:               balancer,
		MaxAttempts:            1,
		BatchSize:              cmp.Or(cfg.MaxInFlight, defaultMaxInFlight),
		BatchTimeout:           batchLinger,
		ReadTimeout:            timeout,
		WriteTimeout:           timeout,
		RequiredAcks:           acks,
		AllowAutoTopicCreation: false,
		Transport:              k.transport,
	}
	return k, nil
}

// Check connects to the first reachable broker and asks it for the topic,
// without letting the broker create it. Each dial is bounded by 5 s as well
// as by ctx.
func (k *Kafka) Check(ctx context.Context) error {
	d := k.conn.Dialer("", checkDialTimeout)
	var errs []error
	var addr string
	for _, b := range k.brokers {
		c, err := d.DialContext(ctx, "tcp", b)
		if err == nil {
			addr = b
			c.Close()
			break
		}
		errs = append(errs, err)
	}
	if addr == "" {
		return fmt.Errorf("cannot connect to Kafka brokers %v (%s): %w", k.brokers, k.conn.Describe(), errors.Join(errs...))
	}

	ctx, cancel := context.WithTimeout(ctx, checkDialTimeout)
	defer cancel()
	client := kafka.Client{Addr: kafka.TCP(addr), Transport: k.transport}
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{k.topic}})
	if err != nil {
		return fmt.Errorf("read metadata of topic %q from brokers %v: %w", k.topic, k.brokers, err)
	}
	i := slices.IndexFunc(md.Topics, func(t kafka.Topic) bool { return t.Name == k.topic })
	switch {
	case i < 0 || errors.Is(md.Topics[i].Error, kafka.UnknownTopicOrPartition):
		return fmt.Errorf("topic %q does not exist on brokers %v", k.topic, k.brokers)
	case md.Topics[i].Error != nil:
		return fmt.Errorf("topic %q on brokers %v: %w", k.topic, k.brokers, md.Topics[i].Error)
	}
	return nil
}

// NewSender returns a handle on k for every worker: kafka-go's writer
// batches the messages of all workers, so they share it.
func (k *Kafka) NewSender() Sender { return kafkaSender{k} }

// kafkaSender is a worker's handle on the shared Kafka driver.
type kafkaSender struct{ *Kafka }

// Release has nothing to free: the writer is closed with the driver.
func (kafkaSender) Release() {}

// Do produces one message and waits until it is acked, the timeout passes
// or ctx is done. It is safe for concurrent use.
func (k *Kafka) Do(ctx context.Context, r *Request) Outcome {
	if err := ctx.Err(); err != nil {
		now := time.Now()
		return Outcome{Class: classify(err), Sent: now, Done: now}
	}
	msg := kafka.Message{
		Value: k.value(r),
		Headers: []kafka.Header{
			{Key: wire.KafkaIDHeader, Value: []byte(r.ID)},
			{Key: wire.KafkaSentNSHeader, Value: strconv.AppendInt(nil, r.Intended.UnixNano(), 10)},
		},
	}
	switch k.key {
	case "id":
		msg.Key = []byte(r.ID)
	case "entity":
		msg.Key = []byte(r.Key)
	}
	ctx, cancel := context.WithTimeout(ctx, k.timeout)
	defer cancel()
	sent := time.Now()
	err := k.w.WriteMessages(ctx, msg)
	return Outcome{Class: classifyKafka(err), Sent: sent, Done: time.Now()}
}

// value is a fresh slice per message: the writer may still hold it after Do
// returns on a timeout.
func (k *Kafka) value(r *Request) []byte {
	if k.body != nil {
		return k.body.appendTo(nil, r)
	}
	v, _ := json.Marshal(struct { // cannot fail: a string and a number
		ID  string `json:"id"`
		Seq uint64 `json:"seq"`
	}{r.ID, r.Seq})
	if pad := k.valueSize - len(v); pad > 0 {
		v = slices.Grow(v, pad)
		for range pad {
			v = append(v, ' ')
		}
	}
	return v
}

// classifyKafka adds the broker's errors to classify: a kafka.Error is
// Broker, and so is a failed produce (a WriteErrors entry) that is not a
// recognised network failure.
func classifyKafka(err error) Class {
	var we kafka.WriteErrors
	if errors.As(err, &we) {
		for _, e := range we {
			if e == nil {
				continue
			}
			if c := classifyKafka(e); c != Other {
				return c
			}
			return Broker
		}
	}
	var ke kafka.Error
	if errors.As(err, &ke) {
		return Broker
	}
	return classify(err)
}

// Close sends the messages still batched, waits for their acks (each bounded
// by the timeout) and closes the connections.
func (k *Kafka) Close() error {
	err := k.w.Close()
	k.transport.CloseIdleConnections()
	return err
}
