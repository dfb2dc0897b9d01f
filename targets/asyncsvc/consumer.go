package asyncsvc

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/targets/work"
	"github.com/segmentio/kafka-go"
)

// ConsumerConfig configures one consumer worker. A zero field takes the
// default it states.
type ConsumerConfig struct {
	Brokers          []string   // bootstrap addresses, host:port; required
	Topic            string     // the jobs topic; default "loadgen.jobs"
	Group            string     // consumer group id; required
	CompletionsTopic string     // default "loadgen.completions"
	Worker           string     // this worker's name in completions, such as "email-1"; default "GROUP-PID"
	Model            work.Model // the work each job takes; its Concurrency is how many jobs are in work at once
	Seed             uint64     // seeds the model's random draws

	SessionTimeout time.Duration // the group drops a member silent this long; default 6s
	Heartbeat      time.Duration // interval between heartbeats, below SessionTimeout; default 1s
	Drain          time.Duration // on shutdown, how long the jobs in hand may take to finish and commit; default 5s
	// CommitInterval is how often done offsets are committed, as a Kafka
	// client's auto-commit does: a consumer that dies leaves what it did
	// since its last commit to be done again. 0 (the default): after
	// every job.
	CommitInterval time.Duration

	Logger *slog.Logger // commit failures, redeliveries, broker outages; default: discard

	Conn *wire.KafkaConn // TLS and SASL; default wire.Plain()

	dial dialFunc // tests: nil dials with net.Dialer
}

const (
	defaultSessionTimeout = 6 * time.Second
	defaultHeartbeat      = time.Second
	defaultDrain          = 5 * time.Second

	// workAttempts is how often a job whose work fails (work.ErrFailed) is
	// tried before it is completed with "failed": true.
	workAttempts = 3
	// completionAttempts bounds kafka-go's retries of a completion produce.
	completionAttempts = 3
	completionTimeout  = 10 * time.Second

	// fetchMaxWait bounds a fetch that finds no data, and so how long a
	// partition reader takes to notice a rebalance or Close.
	fetchMaxWait = 500 * time.Millisecond
	// fetchRetry is the pause after a failed fetch (such as a failed join).
	fetchRetry = 500 * time.Millisecond
	// joinPoll is how often the reader's stats are read until it joins.
	joinPoll = 20 * time.Millisecond
)

func (cfg *ConsumerConfig) setDefaults() error {
	var errs []error
	if len(cfg.Brokers) == 0 {
		errs = append(errs, errors.New("brokers: none given"))
	}
	if cfg.Group == "" {
		errs = append(errs, errors.New("group: none given"))
	}
	if err := cfg.Model.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("model: %w", err))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"session timeout", cfg.SessionTimeout}, {"heartbeat", cfg.Heartbeat}, {"drain", cfg.Drain}, {"commit interval", cfg.CommitInterval}} {
		if d.v < 0 {
			errs = append(errs, fmt.Errorf("%s %v: must not be negative", d.name, d.v))
		}
	}
	cfg.Brokers = slices.Clone(cfg.Brokers)
	cfg.Topic = cmp.Or(cfg.Topic, wire.DefaultJobsTopic)
	cfg.CompletionsTopic = cmp.Or(cfg.CompletionsTopic, wire.DefaultCompletionsTopic)
	cfg.Worker = cmp.Or(cfg.Worker, cfg.Group+"-"+strconv.Itoa(os.Getpid()))
	cfg.SessionTimeout = cmp.Or(cfg.SessionTimeout, defaultSessionTimeout)
	cfg.Heartbeat = cmp.Or(cfg.Heartbeat, defaultHeartbeat)
	cfg.Drain = cmp.Or(cfg.Drain, defaultDrain)
	if cfg.Heartbeat >= cfg.SessionTimeout {
		errs = append(errs, fmt.Errorf("heartbeat %v: must be below the session timeout %v", cfg.Heartbeat, cfg.SessionTimeout))
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return errors.Join(errs...)
}

// RunConsumer consumes jobs as a member of cfg.Group until ctx is done.
//
// It keeps up to Model.Concurrency jobs in work, fetching the next as soon as
// one ends, and produces a completion for each (see wire.Completion) as soon as
// its work ends. A job whose work fails is tried again, 3 times in all, and
// then completed with "failed": true. A partition's offsets are committed in
// fetch order as far as its jobs are completed. A commit the group refuses
// (it rebalanced meanwhile) only means those jobs will be done again by the
// partition's next owner; it is logged.
//
// RunConsumer checks cfg (reporting every problem at once) and that both
// topics exist. It calls ready, if not nil, once: when the reader's stats
// first count a joined generation (kafka-go gives no hook for it; a member
// may join with no partition), or at the first job, whichever comes first.
//
// When ctx is done it fetches no more, gives the jobs in hand Drain to
// finish and commit, then closes the reader, which leaves the group so that
// the others take its partitions at their next heartbeat, and returns nil.
// A completion that cannot be produced (the brokers are down) is retried
// with a backoff from 100 ms to 5 s, each attempt bounded by 10 s, for as
// long as ctx lives: the job's partition is committed no further meanwhile.
// The outage is logged when it begins and when it ends.
// It returns an error, with the unfinished jobs left uncommitted for
// redelivery, when ctx ends while a completion cannot be produced or the
// jobs outlive Drain.
func RunConsumer(ctx context.Context, cfg ConsumerConfig, ready func()) (err error) {
	if err := cfg.setDefaults(); err != nil {
		return fmt.Errorf("consumer: %w", err)
	}
	c := newConsumer(cfg)
	defer func() {
		if cerr := c.close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("consumer %s: %w", cfg.Worker, cerr))
		}
	}()
	if err := checkTopics(ctx, cfg.Brokers, c.w.Transport, cfg.Topic, cfg.CompletionsTopic); err != nil {
		return fmt.Errorf("consumer %s: %w", cfg.Worker, err)
	}
	// The reader joins the group on creation: only after the check, so that
	// its leader never asks for a missing topic.
	c.r = kafka.NewReader(c.readerConfig())

	var once sync.Once
	signal := func() {
		if ready != nil {
			once.Do(ready)
		}
	}
	stopWatch := c.watchJoin(signal)
	defer stopWatch()

	if err := c.consume(ctx, signal); err != nil {
		return fmt.Errorf("consumer %s: %w", cfg.Worker, err)
	}
	return nil
}

// consumer is one running consumer worker.
type consumer struct {
	cfg           ConsumerConfig
	r             *kafka.Reader // nil until the topics are checked
	w             *kafka.Writer // completions
	worker        *work.Worker
	slots         int // jobs in work at once: the model's concurrency
	log           *slog.Logger
	produceOutage *outage // of the completions producer
	fetchOutage   *outage // of the jobs reader
}

func newConsumer(cfg ConsumerConfig) *consumer {
	log := cfg.Logger.With("group", cfg.Group, "worker", cfg.Worker)
	return &consumer{
		cfg:           cfg,
		w:             newWriter(cfg.Brokers, cfg.CompletionsTopic, cfg.Conn, "consumer-"+cfg.Worker, completionTimeout, completionAttempts, cfg.dial),
		worker:        work.NewWorker(cfg.Model, cfg.Seed),
		slots:         cmp.Or(cfg.Model.Concurrency, work.DefaultConcurrency),
		log:           log,
		produceOutage: &outage{log: log, what: "produce completions"},
		fetchOutage:   &outage{log: log, what: "fetch jobs"},
	}
}

func (c *consumer) readerConfig() kafka.ReaderConfig {
	return kafka.ReaderConfig{
		Brokers:           c.cfg.Brokers,
		GroupID:           c.cfg.Group,
		Topic:             c.cfg.Topic,
		Dialer:            c.dialer(),
		MaxWait:           fetchMaxWait,
		HeartbeatInterval: c.cfg.Heartbeat,
		SessionTimeout:    c.cfg.SessionTimeout,
		// A live member rejoins within a heartbeat or two; one that does not
		// within a session timeout is as good as gone.
		RebalanceTimeout: c.cfg.SessionTimeout,
		JoinGroupBackoff: time.Second,
		// 0: synchronous, CommitMessages returns once the broker has the
		// offsets. Else kafka-go commits every interval, and when the
		// member leaves its generation (a rebalance, Close).
		CommitInterval: c.cfg.CommitInterval,
		StartOffset:    kafka.FirstOffset,
		ErrorLogger: kafka.LoggerFunc(func(msg string, args ...any) {
			c.log.Debug("kafka-go: " + fmt.Sprintf(msg, args...))
		}),
	}
}

// watchJoin calls joined once the reader's stats count a generation, and
// stops watching when stop is called.
func (c *consumer) watchJoin(joined func()) (stop func()) {
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		t := time.NewTicker(joinPoll)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				// Stats resets its counters: nobody else reads them.
				if c.r.Stats().Rebalances > 0 {
					joined()
					return
				}
			}
		}
	}()
	return func() { close(done); <-exited }
}

func (c *consumer) dialer() *kafka.Dialer {
	d := connOrPlain(c.cfg.Conn).Dialer("consumer-"+c.cfg.Worker, 10*time.Second)
	d.DialFunc = c.cfg.dial
	return d
}

// close leaves the group and closes the producer.
func (c *consumer) close() error {
	var errs []error
	if c.r != nil {
		errs = append(errs, c.r.Close())
	}
	errs = append(errs, c.w.Close())
	c.w.Transport.(*kafka.Transport).CloseIdleConnections()
	return errors.Join(errs...)
}

// sleep waits d or until ctx is done, returning ctx.Err() then.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
