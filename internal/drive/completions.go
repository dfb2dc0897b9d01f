package drive

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/loadchaos/loadgen/internal/wire"
)

const (
	// completionsMaxWait is how long a fetch waits when there is nothing
	// to read. The broker answers as soon as a completion arrives, so it
	// does not delay completions, but kafka-go's Reader.Close waits for
	// the fetch in flight: with the 10 s default, stop would take seconds.
	// Idle, it costs about 25 empty fetches a second per partition
	// (kafka-go keeps a quarter of the wait for the round trip).
	completionsMaxWait = 50 * time.Millisecond

	// completionsBuffer is how many completions the partition readers may
	// hold for fn, so that a slow fn does not stall fetching at once.
	completionsBuffer = 1024
)

// Completion is one worker's report that it finished a message.
type Completion struct {
	ID     string    // loadgen-id header, else the JSON "id"; "" when the message has neither
	Group  string    // loadgen-group header, else the JSON "group"; "" for a service that sends neither
	Worker string    // the JSON "worker"; "" when absent
	Failed bool      // the JSON "failed": the worker finished the message without doing its work
	SentNS int64     // loadgen-sent-ns header: the generator's intended send time, by its own clock; 0 when absent
	Seen   time.Time // when the listener received it (the generator's clock): end-to-end = Seen - time.Unix(0, SentNS)
}

// CompletionsConfig configures ListenCompletions. A zero field takes the
// default it states.
type CompletionsConfig struct {
	Brokers []string        // bootstrap addresses, host:port; required
	Topic   string          // default loadgen.completions; never created by the listener
	Conn    *wire.KafkaConn // TLS and SASL; default wire.Plain()

	// ReadError, when set, is told of each error a partition reader meets,
	// from that reader's goroutine: the reader retries after one, so it is
	// something to count and report. nil ignores them.
	ReadError func(error)

	dial func(ctx context.Context, network, addr string) (net.Conn, error) // tests: nil dials with net.Dialer
}

// ListenCompletions reads every partition of the topic from the end it had
// at the time of the call (older messages belong to other runs) and calls fn
// for each completion, from one goroutine at a time, until ctx is done or
// stop is called.
//
// It returns once every partition's start offset is fixed, or with an error
// when the brokers cannot be reached or the topic does not exist; that setup
// is bounded by 5 s as well as by ctx. Each partition has its own kafka-go
// Reader (no consumer group) and the readers feed one goroutine that calls
// fn.
//
// stop ends the listener and returns once fn has returned for the last
// time. A partition reader that meets an error (the broker restarts, say)
// retries from where it was: it has recovered once it reads a completion
// again, or when stop finds it caught up with the partition's end. stop
// returns an error for each reader that had not recovered by then, since
// completions may be missing, and for each that met an error and never read
// a completion; an error it recovered from is only reported to ReadError.
// A reader whose partition leader moves looks the topic up again with
// kafka-go's Dialer, which may create a topic deleted during the run.
func ListenCompletions(ctx context.Context, cfg CompletionsConfig, fn func(Completion)) (stop func() error, err error) {
	if len(cfg.Brokers) == 0 {
		return nil, errors.New("listen to completions: brokers: none given")
	}
	topic := cmp.Or(cfg.Topic, wire.DefaultCompletionsTopic)

	conn := cmp.Or(cfg.Conn, wire.Plain())
	transport := conn.Transport("", checkDialTimeout)
	defer transport.CloseIdleConnections()
	setup, cancel := context.WithTimeout(ctx, checkDialTimeout)
	defer cancel()
	offsets, err := topicOffsets(setup, &kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Transport: transport}, topic)
	if err != nil {
		return nil, fmt.Errorf("listen to completions on brokers %v (%s): %w", cfg.Brokers, conn.Describe(), err)
	}

	ctx, cancelRead := context.WithCancel(ctx)
	l := &listener{topic: topic, readError: cfg.ReadError, unresolved: map[int]error{},
		readers: map[int]*kafka.Reader{}, starts: map[int]int64{}}
	out := make(chan Completion, completionsBuffer)
	dialer := conn.Dialer("", checkDialTimeout)
	if cfg.dial != nil {
		dialer.DialFunc = cfg.dial
	}
	var readers sync.WaitGroup
	for _, po := range offsets {
		r := kafka.NewReader(kafka.ReaderConfig{
			Brokers:         cfg.Brokers,
			Topic:           topic,
			Partition:       po.Partition,
			Dialer:          dialer,
			MaxWait:         completionsMaxWait,
			ReadLagInterval: -1,
		})
		// A fixed offset rather than kafka.LastOffset, which the reader
		// would resolve when it connects, after the call. SetOffset cannot
		// fail on a new reader without a group.
		_ = r.SetOffset(po.LastOffset)
		l.readers[po.Partition], l.starts[po.Partition] = r, po.LastOffset
		readers.Go(func() { l.read(ctx, r, po.Partition, out) })
	}
	go func() {
		readers.Wait()
		close(out)
	}()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for c := range out {
			fn(c)
		}
	}()
	return sync.OnceValue(func() error {
		cancelRead()
		<-done
		return l.unrecovered(cfg.Brokers, conn)
	}), nil
}

// read passes the completions of one partition to out until ctx is done.
func (l *listener) read(ctx context.Context, r *kafka.Reader, partition int, out chan<- Completion) {
	defer r.Close()
	for {
		m, err := r.FetchMessage(ctx)
		seen := time.Now()
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			l.failed(partition, err)
			continue
		}
		l.recovered(partition)
		select {
		case out <- parseCompletion(m, seen):
		case <-ctx.Done():
			return
		}
	}
}

// parseCompletion reads a completion from its headers and, when the value
// is the JSON a consumer worker produces, from its value. Headers win: a
// user's service may copy only them onto a value of its own.
func parseCompletion(m kafka.Message, seen time.Time) Completion {
	c := Completion{Seen: seen}
	for _, h := range m.Headers {
		switch h.Key {
		case wire.KafkaIDHeader:
			c.ID = string(h.Value)
		case wire.KafkaGroupHeader:
			c.Group = string(h.Value)
		case wire.KafkaSentNSHeader:
			if ns, err := strconv.ParseInt(string(h.Value), 10, 64); err == nil {
				c.SentNS = ns
			}
		}
	}
	var v wire.Completion
	if json.Unmarshal(m.Value, &v) == nil {
		c.ID = cmp.Or(c.ID, v.ID)
		c.Group = cmp.Or(c.Group, v.Group)
		c.Worker = v.Worker
		c.Failed = v.Failed
	}
	return c
}
