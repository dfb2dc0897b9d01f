package asyncsvc

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/rawconn"
	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/targets/connlimits"
)

// EdgeConfig configures an edge. A zero field takes the default it states.
type EdgeConfig struct {
	Listen  string            // host:port; default "127.0.0.1:0" (a port the kernel picks)
	Brokers []string          // bootstrap addresses, host:port; required
	Topic   string            // the jobs topic; default "loadgen.jobs"
	MaxBody int               // largest accepted body in bytes, at most 1000000; default 65536
	Timeout time.Duration     // produce budget, from the request to the broker's ack; default 5s
	Logger  *slog.Logger      // connections fasthttp could not serve, at debug level; default: discard
	Conn    *wire.KafkaConn   // TLS and SASL; default wire.Plain()
	Limits  connlimits.Limits // on the connections of the edge's clients; see connlimits for the defaults
}

const (
	defaultListen  = "127.0.0.1:0"
	defaultMaxBody = 64 << 10
	// maxMaxBody keeps a job within Kafka's default message.max.bytes
	// (1048588) with room for the key and headers.
	maxMaxBody         = 1_000_000
	defaultEdgeTimeout = 5 * time.Second

	// edgeAttempts is how often a produce is tried: a retry rides out a
	// pooled connection the broker closed, and no more, so that a dead
	// broker is a quick 503.
	edgeAttempts = 2
)

func (cfg *EdgeConfig) setDefaults() error {
	var errs []error
	if len(cfg.Brokers) == 0 {
		errs = append(errs, errors.New("brokers: none given"))
	}
	if cfg.MaxBody < 0 || cfg.MaxBody > maxMaxBody {
		errs = append(errs, fmt.Errorf("max body %d: must be within 0..%d", cfg.MaxBody, maxMaxBody))
	}
	if cfg.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %v: must not be negative", cfg.Timeout))
	}
	if err := cfg.Limits.Validate(); err != nil {
		errs = append(errs, err)
	}
	cfg.Listen = cmp.Or(cfg.Listen, defaultListen)
	cfg.Brokers = slices.Clone(cfg.Brokers)
	cfg.Topic = cmp.Or(cfg.Topic, wire.DefaultJobsTopic)
	cfg.MaxBody = cmp.Or(cfg.MaxBody, defaultMaxBody)
	cfg.Timeout = cmp.Or(cfg.Timeout, defaultEdgeTimeout)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return errors.Join(errs...)
}

// RunEdge serves the edge until ctx is done:
//
//	POST /work    a job: its body must be a JSON object of at most MaxBody
//	              bytes (else 400 or 413, {"error": "..."}). It is produced to
//	              Topic as one message and answered 202 {"id": "..."} once
//	              every in-sync replica has it, or 503 {"error": "..."} when
//	              the broker did not take it within Timeout.
//	GET /healthz  200 while serving.
//
// The id is the Loadgen-Id request header, or one the edge makes up, unique
// to this edge. The message's key is the Loadgen-Key header (at most
// wire.MaxKeyBytes of printable ASCII, else 400), so that one key's jobs
// share a partition, or else the id. RunEdge checks cfg (reporting every problem at once) and that
// Topic exists, listens, and then calls ready, if not nil, with the address
// it listens on. When ctx is done it stops accepting, lets requests in flight
// finish (each within Timeout), closes the producer and returns nil.
func RunEdge(ctx context.Context, cfg EdgeConfig, ready func(addr string)) error {
	if err := cfg.setDefaults(); err != nil {
		return fmt.Errorf("edge: %w", err)
	}
	w := newWriter(cfg.Brokers, cfg.Topic, cfg.Conn, "edge", cfg.Timeout, edgeAttempts, nil)
	defer w.Transport.(*kafka.Transport).CloseIdleConnections()
	if err := checkTopics(ctx, cfg.Brokers, w.Transport, cfg.Topic); err != nil {
		return fmt.Errorf("edge: %w", err)
	}
	e := &edge{cfg: cfg, w: w, idPrefix: "edge-" + strings.ToLower(rand.Text()[:10]) + "-"}

	ln, err := rawconn.Listen("tcp", cfg.Listen) // cheaper per request: see internal/rawconn
	if err != nil {
		return fmt.Errorf("edge: %w", err)
	}
	srv := &fasthttp.Server{
		Name:               "loadgen-edge",
		Handler:            e.serve,
		ErrorHandler:       e.serveError,
		MaxRequestBodySize: cfg.MaxBody,
		Logger:             debugLogger{cfg.Logger},
		// fasthttp's errors, which it logs, then leave out the bytes
		// received.
		SecureErrorLogMessage: true,
	}
	cfg.Limits.Apply(srv)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}

	var serveErr error
	select {
	case serveErr = <-served:
		serveErr = fmt.Errorf("edge: serve %s: %w", ln.Addr(), serveErr)
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout+time.Second)
		if err := srv.ShutdownWithContext(sctx); err != nil {
			serveErr = fmt.Errorf("edge: shutdown: requests still open: %w", err)
		}
		cancel()
		<-served // Serve returns as soon as the shutdown begins
	}
	if err := w.Close(); err != nil {
		serveErr = errors.Join(serveErr, fmt.Errorf("edge: close producer: %w", err))
	}
	return serveErr
}

// edge holds what the handlers share.
type edge struct {
	cfg      EdgeConfig
	w        *kafka.Writer
	idPrefix string        // random, so that ids of two edges never meet
	seq      atomic.Uint64 // ids made so far
}

// debugLogger passes fasthttp's messages to a slog.Logger at debug level.
type debugLogger struct{ l *slog.Logger }

func (d debugLogger) Printf(format string, args ...any) {
	d.l.Debug(fmt.Sprintf(format, args...))
}
