package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/proc"
	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/targets/asyncsvc"
	"github.com/loadchaos/loadgen/targets/broker"
	"github.com/loadchaos/loadgen/targets/connlimits"
	"github.com/loadchaos/loadgen/targets/syncsvc"
	"github.com/loadchaos/loadgen/targets/work"
)

// The services under test, runnable alone. Each prints "READY <address>"
// on standard output once it serves, and stops cleanly on SIGINT or SIGTERM.
func targetCommand() *cli.Command {
	return &cli.Command{
		Name:  "target",
		Usage: "run one of the services under test on its own (what the embedded drill starts)",
		Description: `sync-edge and sync-backend are the synchronous path: the sync edge forwards each
request to a backend and answers when the work is done. async-edge and async-consumer
are the asynchronous path: the edge answers 202 once Kafka has the job, consumers do
the work later and report completions. Each prints "READY <address>" once it serves.
The first names (sync, backend, edge, consumer) still work.`,
		Subcommands: []*cli.Command{syncEdgeCommand(), syncBackendCommand(), asyncEdgeCommand(), asyncConsumerCommand()},
	}
}

func listenFlag() cli.Flag {
	return &cli.StringFlag{Name: "listen", Value: "127.0.0.1:0", Usage: "`ADDR` to listen on (port 0: any free port)", EnvVars: []string{"LOADGEN_LISTEN"}}
}

func brokersFlag() cli.Flag {
	return &cli.StringSliceFlag{Name: "brokers", Usage: "Kafka bootstrap brokers, `HOST:PORT,...` (required)", EnvVars: []string{"LOADGEN_BROKERS"}}
}

// connLimitFlags bound the connections of a target that serves HTTP, so
// that slow or endless clients cannot hold it (see package connlimits).
func connLimitFlags() []cli.Flag {
	return []cli.Flag{
		&cli.DurationFlag{Name: "read-timeout", Value: connlimits.DefaultReadTimeout, EnvVars: []string{"LOADGEN_READ_TIMEOUT"},
			Usage: "read a request, headers and body, within `D` (from the accept for a connection's first request, from its first byte for later ones), else answer 408 and close"},
		&cli.DurationFlag{Name: "write-timeout", Value: connlimits.DefaultWriteTimeout, EnvVars: []string{"LOADGEN_WRITE_TIMEOUT"},
			Usage: "write a response within `D`, else close the connection"},
		&cli.DurationFlag{Name: "idle-timeout", Value: connlimits.DefaultIdleTimeout, EnvVars: []string{"LOADGEN_IDLE_TIMEOUT"},
			Usage: "close a keep-alive connection after `D` without a request"},
		&cli.IntFlag{Name: "max-conns", Value: connlimits.DefaultMaxConns, EnvVars: []string{"LOADGEN_MAX_CONNS"},
			Usage: "serve at most `N` connections at once; one more is answered 503 and closed"},
	}
}

func connLimits(c *cli.Context) (connlimits.Limits, error) {
	l := connlimits.Limits{ReadTimeout: c.Duration("read-timeout"), WriteTimeout: c.Duration("write-timeout"),
		IdleTimeout: c.Duration("idle-timeout"), MaxConns: c.Int("max-conns")}
	if err := l.Validate(); err != nil {
		return connlimits.Limits{}, cliargs.BadInput(err)
	}
	return l, nil
}

func workFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "service", Value: "lognormal:10ms,40ms", Usage: "service time per job, `SPEC`: fixed:D, exp:MEDIAN or lognormal:MEDIAN,P99", EnvVars: []string{"LOADGEN_SERVICE"}},
		&cli.IntFlag{Name: "concurrency", Value: 4, Usage: "`N` jobs at once", EnvVars: []string{"LOADGEN_CONCURRENCY"}},
		&cli.Float64Flag{Name: "failure-rate", Usage: "fraction `F` of jobs that fail", EnvVars: []string{"LOADGEN_FAILURE_RATE"}},
		&cli.Uint64Flag{Name: "seed", Usage: "seed `N` of the service-time draws", EnvVars: []string{"LOADGEN_SEED"}},
	}
}

func workModel(c *cli.Context) (work.Model, error) {
	dist, err := work.ParseDist(c.String("service"))
	if err != nil {
		return work.Model{}, cliargs.BadInput(fmt.Errorf("--service: %w", err))
	}
	m := work.Model{Service: dist, Concurrency: c.Int("concurrency"), FailureRate: c.Float64("failure-rate")}
	if err := m.Validate(); err != nil {
		return work.Model{}, cliargs.BadInput(err)
	}
	return m, nil
}

// serve runs a service until SIGINT or SIGTERM, announcing it when ready.
func serve(c *cli.Context, run func(ctx context.Context, ready func(addr string)) error) error {
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, func(addr string) { fmt.Println(strings.TrimSpace(proc.ReadyPrefix + " " + addr)) })
}

func syncEdgeCommand() *cli.Command {
	return &cli.Command{
		Name:    proc.SyncEdge,
		Aliases: []string{proc.TargetAlias(proc.SyncEdge)},
		Usage:   "the sync edge: POST /work is forwarded to a backend and answered when it is done (503 when none can take it, 504 past --timeout)",
		Flags: append([]cli.Flag{listenFlag(),
			&cli.StringSliceFlag{Name: "backends", Usage: "backend `HOST:PORT,...` (required)", EnvVars: []string{"LOADGEN_BACKENDS"}},
			&cli.DurationFlag{Name: "timeout", Value: 2 * time.Second, Usage: "budget `D` per request", EnvVars: []string{"LOADGEN_TIMEOUT"}},
		}, connLimitFlags()...),
		Action: func(c *cli.Context) error {
			if err := cliargs.Required(c, "backends"); err != nil {
				return err
			}
			limits, err := connLimits(c)
			if err != nil {
				return err
			}
			cfg := syncsvc.EdgeConfig{Listen: c.String("listen"), Backends: splitList(c.StringSlice("backends")), Timeout: c.Duration("timeout"),
				Limits: limits}
			return serve(c, func(ctx context.Context, ready func(string)) error { return syncsvc.RunEdge(ctx, cfg, ready) })
		},
	}
}

func syncBackendCommand() *cli.Command {
	return &cli.Command{
		Name:    proc.SyncBackend,
		Aliases: []string{proc.TargetAlias(proc.SyncBackend)},
		Usage:   "a sync worker: POST /work runs one job and answers when it is done (503 when its queue is full)",
		Flags: append([]cli.Flag{listenFlag(),
			&cli.IntFlag{Name: "queue", Usage: "`N` requests may wait for a slot beyond --concurrency", DefaultText: "--concurrency", EnvVars: []string{"LOADGEN_QUEUE"}},
			&cli.StringFlag{Name: "next", Usage: "`URL` of the next backend of a chain, called after the local work", EnvVars: []string{"LOADGEN_NEXT"}},
		}, append(workFlags(), connLimitFlags()...)...),
		Action: func(c *cli.Context) error {
			m, err := workModel(c)
			if err != nil {
				return err
			}
			limits, err := connLimits(c)
			if err != nil {
				return err
			}
			cfg := syncsvc.BackendConfig{Listen: c.String("listen"), Model: m, Queue: c.Int("queue"), Next: c.String("next"), Seed: c.Uint64("seed"),
				Limits: limits}
			return serve(c, func(ctx context.Context, ready func(string)) error { return syncsvc.RunBackend(ctx, cfg, ready) })
		},
	}
}

func asyncEdgeCommand() *cli.Command {
	return &cli.Command{
		Name:    proc.AsyncEdge,
		Aliases: []string{proc.TargetAlias(proc.AsyncEdge)},
		Usage:   "the async edge: POST /work is produced to Kafka and answered 202 once acked (400 bad input, 413 too big, 503 broker trouble)",
		Flags: append([]cli.Flag{listenFlag(), brokersFlag(),
			&cli.StringFlag{Name: "topic", Value: wire.DefaultJobsTopic, Usage: "jobs topic `T`", EnvVars: []string{"LOADGEN_TOPIC"}},
			&cli.IntFlag{Name: "max-body", Value: 65536, Usage: "largest body in `BYTES`", EnvVars: []string{"LOADGEN_MAX_BODY"}},
			&cli.DurationFlag{Name: "timeout", Value: 5 * time.Second, Usage: "produce budget `D`", EnvVars: []string{"LOADGEN_TIMEOUT"}},
		}, append(connLimitFlags(), kafkaAuthFlags()...)...),
		Action: func(c *cli.Context) error {
			if err := cliargs.Required(c, "brokers"); err != nil {
				return err
			}
			conn, err := kafkaConn(c)
			if err != nil {
				return err
			}
			limits, err := connLimits(c)
			if err != nil {
				return err
			}
			cfg := asyncsvc.EdgeConfig{Listen: c.String("listen"), Brokers: splitList(c.StringSlice("brokers")), Topic: c.String("topic"),
				MaxBody: c.Int("max-body"), Timeout: c.Duration("timeout"), Conn: conn, Limits: limits}
			return serve(c, func(ctx context.Context, ready func(string)) error { return asyncsvc.RunEdge(ctx, cfg, ready) })
		},
	}
}

func asyncConsumerCommand() *cli.Command {
	return &cli.Command{
		Name:    proc.AsyncConsumer,
		Aliases: []string{proc.TargetAlias(proc.AsyncConsumer)},
		Usage:   "an async worker in a consumer group: fetches jobs, does the work, reports a completion, then commits (at-least-once)",
		Flags: append([]cli.Flag{brokersFlag(),
			&cli.StringFlag{Name: "topic", Value: wire.DefaultJobsTopic, Usage: "jobs topic `T`", EnvVars: []string{"LOADGEN_TOPIC"}},
			&cli.StringFlag{Name: "group", Usage: "consumer group `G` (required)", EnvVars: []string{"LOADGEN_GROUP"}},
			&cli.StringFlag{Name: "completions-topic", Value: wire.DefaultCompletionsTopic, Usage: "topic `T` the completions go to", EnvVars: []string{"LOADGEN_COMPLETIONS_TOPIC"}},
			&cli.StringFlag{Name: "worker", Usage: "this worker's `NAME` in completions", DefaultText: "consumer-PID", EnvVars: []string{"LOADGEN_WORKER"}},
			&cli.DurationFlag{Name: "session-timeout", Value: 6 * time.Second, Usage: "group session timeout `D`: how soon a dead consumer's partitions move", EnvVars: []string{"LOADGEN_SESSION_TIMEOUT"}},
			&cli.DurationFlag{Name: "heartbeat", Value: time.Second, Usage: "heartbeat interval `D`", EnvVars: []string{"LOADGEN_HEARTBEAT"}},
			&cli.DurationFlag{Name: "commit-interval", Usage: "commit done offsets every `D`, as auto-commit does: a crash redoes what was done since", DefaultText: "after every job", EnvVars: []string{"LOADGEN_COMMIT_INTERVAL"}},
		}, append(workFlags(), kafkaAuthFlags()...)...),
		Action: func(c *cli.Context) error {
			if err := cliargs.Required(c, "brokers", "group"); err != nil {
				return err
			}
			m, err := workModel(c)
			if err != nil {
				return err
			}
			conn, err := kafkaConn(c)
			if err != nil {
				return err
			}
			name := c.String("worker")
			if name == "" {
				name = "consumer-" + strconv.Itoa(os.Getpid())
			}
			cfg := asyncsvc.ConsumerConfig{Brokers: splitList(c.StringSlice("brokers")), Topic: c.String("topic"), Group: c.String("group"),
				CompletionsTopic: c.String("completions-topic"), Worker: name, Model: m,
				SessionTimeout: c.Duration("session-timeout"), Heartbeat: c.Duration("heartbeat"), CommitInterval: c.Duration("commit-interval"),
				Seed: c.Uint64("seed"), Conn: conn}
			return serve(c, func(ctx context.Context, ready func(string)) error {
				return asyncsvc.RunConsumer(ctx, cfg, func() { ready(name) })
			})
		},
	}
}

func brokerCommand() *cli.Command {
	return &cli.Command{
		Name:  "broker",
		Usage: "run the embedded Kafka-protocol broker (franz-go's kfake) on its own",
		Description: `A real Kafka wire-protocol server in one process, kept in memory: for trying
loadgen without a Kafka cluster. Topics are created up front.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:9092", Usage: "`ADDR` to listen on and advertise", EnvVars: []string{"LOADGEN_LISTEN"}},
			&cli.StringSliceFlag{Name: "topic", Value: cli.NewStringSlice(wire.DefaultJobsTopic+":6", wire.DefaultCompletionsTopic+":1"), Usage: "create topic `NAME:PARTITIONS` (repeatable)", EnvVars: []string{"LOADGEN_TOPIC"}},
		},
		Action: func(c *cli.Context) error {
			var topics []broker.Topic
			for _, t := range splitList(c.StringSlice("topic")) {
				name, parts, _ := strings.Cut(t, ":")
				n, err := strconv.Atoi(parts)
				if err != nil || n < 1 {
					return cliargs.BadInput(fmt.Errorf("--topic %q: want NAME:PARTITIONS", t))
				}
				topics = append(topics, broker.Topic{Name: name, Partitions: int32(n)})
			}
			b, err := broker.Start(broker.Config{Listen: c.String("listen"), Topics: topics})
			if err != nil {
				return err
			}
			defer b.Close()
			ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
			defer stop()
			fmt.Println(proc.ReadyPrefix + " " + strings.Join(b.Addrs(), ","))
			<-ctx.Done()
			return nil
		},
	}
}
