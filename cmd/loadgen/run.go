package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/report"
	"github.com/loadchaos/loadgen/internal/run"
	"github.com/loadchaos/loadgen/profiles"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run a load profile and write a run bundle",
		ArgsUsage: "[PROFILE]",
		Description: `PROFILE is a built-in name (` + strings.Join(profiles.Builtins(), ", ") + `) or the path of a
YAML profile; default "spike".

With no target flag, loadgen runs the embedded drill: a Kafka-protocol broker
(or your cluster, with --brokers), a sync edge with backend workers and an async
edge with consumer workers, all processes of this binary, plus the profile's
chaos; it waits for every accepted message to be completed and counts what was
lost or duplicated.

Targets of your own: --sync-url for a service that answers when the work is
done, --async-url for an edge that answers 202 once it has accepted the work
(add --brokers and --completions-topic to follow each job to its completion,
and --lag-group with --lag-topic to watch your consumer groups' lag), or
--brokers with --topic to produce to Kafka directly as the async target. Each
target gets the same schedule.

Requests leave at their intended times whether or not earlier ones have
answered, up to the profile's in-flight cap; latency is measured from the
intended time. A request the generator could not send within late_after of its
time is skipped, never sent in a catch-up burst, and counted; too many such
requests mark the run invalid (exit 97).

A run may be split across N generators, each on its own machine: --segment I/N
sends request k of the schedule when k mod N is I, every segment from one
--start-at, and loadgen merge makes one bundle of their bundles. A split run
needs a target of its own (not the embedded drill).

Ctrl-C or SIGTERM stops the load (or the wait for completions after it),
waits at most 2 s more for answers and writes a bundle marked partial, in
which messages still awaited count as pending, not lost; it exits 1. A
second Ctrl-C quits at once.

Bounds: --rate and a profile's rates at most 10,000,000 req/s, --duration
and a profile's durations at most 720h (30 days); --connections at most the
process's open-file limit (ulimit -n) less 64. Past them a run is bad input
(exit 2), as is a run with nothing to send.

Examples:
  loadgen run                        # the spike drill on the embedded broker
  loadgen run spike --brokers kafka-1:9092,kafka-2:9092
  loadgen run steady --sync-url http://127.0.0.1:8080/ --duration 5s
  loadgen run steady --sync-url https://svc:8443/ --ca ca.pem --cert client.pem --key client.key
  loadgen run spike --async-url http://127.0.0.1:8081/jobs --brokers 127.0.0.1:9092 --completions-topic jobs.done
  loadgen run spike --async-url http://127.0.0.1:8081/jobs --brokers 127.0.0.1:9092 --lag-group billing --lag-topic jobs
  loadgen run --brokers 127.0.0.1:9092 --topic loadgen.jobs --rate 500 --duration 30s
  loadgen run --sync-url http://127.0.0.1:8080/ --rate max --connections 64 --duration 10s
  loadgen run spike --sync-url http://svc:8080/ --segment 0/3 --start-at 2026-12-01T12:00:00Z --run-id checkout-7`,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "out", Value: "results", Usage: "results root: the bundle goes into `DIR`/RUN-ID/ and DIR/latest points at it", EnvVars: []string{"LOADGEN_OUT"}},
			&cli.StringFlag{Name: "sync-url", Usage: "drive the synchronous service at `URL`", EnvVars: []string{"LOADGEN_SYNC_URL"}},
			&cli.StringFlag{Name: "async-url", Usage: "drive the asynchronous (202) edge at `URL`", EnvVars: []string{"LOADGEN_ASYNC_URL"}},
			&cli.StringFlag{Name: "topic", Usage: "produce to Kafka topic `T` directly as the async target (needs --brokers)", EnvVars: []string{"LOADGEN_TOPIC"}},
			&cli.StringSliceFlag{Name: "brokers", Usage: "Kafka bootstrap brokers, `HOST:PORT,...`: for --topic and --completions-topic, or, with no target flag, the cluster the embedded drill's edges and consumers use instead of the embedded broker", EnvVars: []string{"LOADGEN_BROKERS"}},
			&cli.StringFlag{Name: "completions-topic", Usage: "read topic `T`, where your async service emits a message carrying each job's loadgen-id header when it is done: gives end-to-end latency and counts lost and duplicated messages (needs --brokers)", EnvVars: []string{"LOADGEN_COMPLETIONS_TOPIC"}},
			&cli.StringSliceFlag{Name: "lag-group", Usage: "sample each second the lag of your consumer group `NAME` (repeatable) on --lag-topic, on --brokers: on the timeline, in the summary, reports and metrics, and for phases' detect and recover times; needs --async-url or --topic",
				DefaultText: "the profile's lag_groups", EnvVars: []string{"LOADGEN_LAG_GROUP"}},
			&cli.StringFlag{Name: "lag-topic", Usage: "the topic `T` your --lag-group groups consume: needed with --async-url, behind which loadgen cannot know it", DefaultText: "the profile's lag_topic, else --topic", EnvVars: []string{"LOADGEN_LAG_TOPIC"}},
			&cli.IntFlag{Name: "replication", Value: 1, Usage: "replication factor `N` of the topics the embedded drill creates on --brokers", EnvVars: []string{"LOADGEN_REPLICATION"}},
			&cli.StringFlag{Name: "rate", Usage: "offer a constant `R` req/s (above 0, at most 10000000) instead of the profile's stages, or \"max\" for a closed loop of --connections workers", DefaultText: "the profile's stages", EnvVars: []string{"LOADGEN_RATE"}},
			&cli.IntFlag{Name: "connections", Value: 64, Usage: "`N` workers (and connections) for a --rate max closed loop; at most the open-file limit (ulimit -n) less 64", EnvVars: []string{"LOADGEN_CONNECTIONS"}},
			&cli.DurationFlag{Name: "duration", Usage: "run for `D`, such as 30s or 2m, at most 720h; a profile's stages loop when D is longer", DefaultText: "the profile's duration", EnvVars: []string{"LOADGEN_DURATION"}},
			&cli.Uint64Flag{Name: "seed", Usage: "`N` seeds every random choice, such as burst jitter; the bundle records the seed used", DefaultText: "the profile's, else random", EnvVars: []string{"LOADGEN_SEED"}},
			&cli.StringFlag{Name: "metrics-addr", Usage: "serve live Prometheus metrics on `ADDR` (/metrics) during the run, such as 127.0.0.1:9464", EnvVars: []string{"LOADGEN_METRICS_ADDR"}},
			&cli.StringFlag{Name: "metrics-push", Usage: "push the metrics to the Prometheus Pushgateway at `URL` every --metrics-push-interval and once at the end, job loadgen grouped by run_id (and segment); a failed push is a warning", EnvVars: []string{"LOADGEN_METRICS_PUSH"}},
			&cli.DurationFlag{Name: "metrics-push-interval", Value: run.DefaultMetricsPushInterval, Usage: "push every `D` (at least 1s) with --metrics-push", EnvVars: []string{"LOADGEN_METRICS_PUSH_INTERVAL"}},
			&cli.StringFlag{Name: "segment", Usage: "run segment `I/N` of a schedule split across N generators (I from 0): request k is segment k mod N's; needs --start-at",
				DefaultText: "$JOB_COMPLETION_INDEX of $LOADGEN_SEGMENTS when both are set, as in a Kubernetes Indexed Job", EnvVars: []string{"LOADGEN_SEGMENT"}},
			&cli.StringFlag{Name: "start-at", Usage: "start the schedule at `TIME`, RFC 3339 (2026-12-01T10:00:00Z) or +D from now (+30s), at most 24h ahead: " +
				"every segment starts at one instant, and what a late generator missed is counted late", EnvVars: []string{"LOADGEN_START_AT"}},
			&cli.StringFlag{Name: "run-id", Usage: "name the run `ID` (letters, digits, . _ -), the same for every segment of one run",
				DefaultText: "a split run's profile and start time, else the time and a random suffix", EnvVars: []string{"LOADGEN_RUN_ID"}},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print no progress and no summary table, only the bundle's path", EnvVars: []string{"LOADGEN_QUIET"}},
		}, append(httpTLSFlags(), kafkaAuthFlags()...)...),
		Action: runAction,
	}
}

func runAction(c *cli.Context) error {
	ctx := interruptible(c.Context) // first: a signal is heard from the start
	if c.NArg() > 1 {
		return cliargs.BadInput(fmt.Errorf("run takes one profile, got %d arguments", c.NArg()))
	}
	name := c.Args().First()
	if name == "" {
		name = "spike"
	}
	prof, err := profiles.Load(name, run.ProfileChecks()...)
	if err != nil {
		return cliargs.BadInput(err)
	}
	opts := run.Options{
		Profile:  prof,
		SyncURL:  c.String("sync-url"),
		AsyncURL: c.String("async-url"),
		Topic:    c.String("topic"),
		Brokers:  splitList(c.StringSlice("brokers")),

		CompletionsTopic: c.String("completions-topic"),
		LagGroups:        c.StringSlice("lag-group"),
		LagTopic:         c.String("lag-topic"),
		Replication:      c.Int("replication"),
		MetricsAddr:      c.String("metrics-addr"),
		Connections:      c.Int("connections"),
		Out:              c.String("out"),
		RunID:            c.String("run-id"),
		Notices:          os.Stderr,
	}
	opts.MetricsPush, opts.MetricsPushInterval = c.String("metrics-push"), c.Duration("metrics-push-interval")
	if opts.Segment, err = segmentOf(c.String("segment"), os.Getenv); err != nil {
		return cliargs.BadInput(err)
	}
	if opts.StartAt, err = startAtOf(c.String("start-at"), time.Now()); err != nil {
		return cliargs.BadInput(err)
	}
	if err := applyOverrides(c, &opts); err != nil {
		return cliargs.BadInput(err)
	}
	if opts.KafkaAuth, err = kafkaAuth(c, prof.Kafka.KafkaAuth); err != nil {
		return err
	}
	prof.HTTP.TLS = httpTLS(c, prof.HTTP.TLS, os.Stderr)
	if !c.Bool("quiet") {
		opts.Progress = os.Stderr
		opts.Terminal = isTerminal(os.Stderr)
	}
	if ctx.Err() != nil {
		return errors.New("interrupted before the run began")
	}

	res, err := run.Run(ctx, opts)
	var input *run.InputError
	switch {
	case errors.As(err, &input):
		return cliargs.BadInput(err)
	case res == nil && ctx.Err() != nil:
		return fmt.Errorf("interrupted before the load began: %w", err)
	case res == nil:
		return err
	case err != nil:
		return fmt.Errorf("the bundle in %s is incomplete (results/latest was left as it was): %w", res.Dir, err)
	}
	if !c.Bool("quiet") {
		report.Text(os.Stdout, res.Summary)
	}
	fmt.Fprintf(os.Stdout, "bundle: %s\n", res.Dir)
	switch {
	case res.Summary.Run.Partial:
		return errors.New("interrupted: the bundle is partial")
	case !res.Summary.Run.Valid:
		return &cliargs.ExitError{Code: cliargs.ExitInvalidRun, Err: fmt.Errorf("the run is invalid: %s", strings.Join(res.Summary.Run.InvalidReasons, "; "))}
	}
	return thresholdsHeld(res.Summary.Thresholds)
}

// applyOverrides puts the command line's --duration, --rate and --seed over
// the profile, within the bounds profiles keep (profiles.MaxRatePerSecond,
// profiles.MaxDuration).
func applyOverrides(c *cli.Context, opts *run.Options) error {
	prof := opts.Profile
	if c.IsSet("duration") {
		d := c.Duration("duration")
		if err := profiles.CheckFlagDuration(d); err != nil {
			return fmt.Errorf("--duration %v: %w", d, err)
		}
		prof.Duration = d
	}
	if c.IsSet("seed") {
		prof.Seed = c.Uint64("seed")
	}
	if (opts.Topic != "" || opts.CompletionsTopic != "") && len(opts.Brokers) == 0 {
		return errors.New("--topic and --completions-topic need --brokers")
	}
	if opts.Replication < 1 {
		return fmt.Errorf("--replication %d: must be at least 1", opts.Replication)
	}
	switch rate := c.String("rate"); rate {
	case "":
	case "max":
		if opts.Connections < 1 {
			return fmt.Errorf("--connections %d: must be at least 1", opts.Connections)
		}
		opts.ClosedLoop = true
	default:
		r, err := strconv.ParseFloat(rate, 64)
		if err == nil {
			err = profiles.CheckFlagRate(r)
		} else {
			err = errors.New("want a number of requests per second, or \"max\"")
		}
		if err != nil {
			return fmt.Errorf("--rate %.20q: %w", rate, err)
		}
		prof.SetConstantRate(r)
	}
	return nil
}

// splitList accepts both repeated flags and comma-separated values.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// isTerminal tells whether f is a terminal, on every system loadgen runs on.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// interruptible returns a context cancelled by the first SIGINT or SIGTERM;
// the run says what it does then (run.Options.Notices). A second signal
// ends the process at once, as the default handling does.
func interruptible(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		defer signal.Stop(signals)
		select {
		case <-signals:
			signal.Stop(signals)
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx
}
