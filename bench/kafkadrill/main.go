// Command kafkadrill measures the consumer-kill drill on one Kafka cluster,
// with loadgen's own processes as a user would run them: consumers in one
// group and an async edge (`loadgen target consumer|edge`), a steady load
// through the edge (`loadgen run PROFILE --async-url`), and consumer w1
// SIGKILLed by its PID mid-run. It reads the completions topic itself
// (loadgen run with --async-url does not) and the jobs topic after the run,
// and prints what it measured as JSON: takeover time, duplicates, lost,
// throughput. bench/kafka-drill.sh runs it on the embedded broker and on
// Apache Kafka; docs/kafka-vs-kfake.md has the figures.
//
//	go build -o loadgen ./cmd/loadgen
//	go run ./bench/kafkadrill --loadgen ./loadgen --brokers 127.0.0.1:19092 --out /tmp/drill >kafka-1.json
//	go run ./bench/kafkadrill --summarize kafka-*.json
//
// The jobs topic (default loadgen.jobs) and the completions topic (default
// loadgen.completions) must exist, and the jobs topic must be empty.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

func main() {
	var cfg Config
	brokers := flag.String("brokers", "", "Kafka bootstrap brokers, `HOST:PORT,...` (required)")
	backend := flag.String("backend", "", "a `NAME` for the cluster in the result, such as kfake or kafka")
	flag.StringVar(&cfg.Loadgen, "loadgen", "./loadgen", "the loadgen `BINARY`")
	flag.StringVar(&cfg.Out, "out", "", "`DIR` for the logs and the run bundle (required)")
	flag.StringVar(&cfg.JobsTopic, "jobs-topic", "loadgen.jobs", "jobs `TOPIC`")
	flag.StringVar(&cfg.CompletionsTopic, "completions-topic", "loadgen.completions", "completions `TOPIC`")
	flag.StringVar(&cfg.Group, "group", "", "consumer `GROUP` (default drill-<unix time>)")
	flag.IntVar(&cfg.Consumers, "consumers", 3, "consumer processes (`N`); w1 is killed")
	flag.StringVar(&cfg.Service, "service", "fixed:5ms", "each consumer's service time")
	flag.IntVar(&cfg.Concurrency, "concurrency", 4, "each consumer's jobs at once")
	flag.DurationVar(&cfg.SessionTimeout, "session-timeout", 6*time.Second, "the consumers' group session timeout")
	flag.IntVar(&cfg.Rate, "rate", 200, "req/s the load offers")
	flag.DurationVar(&cfg.Duration, "duration", 30*time.Second, "how long the load runs")
	flag.DurationVar(&cfg.KillAt, "kill-at", 10*time.Second, "when w1 is killed, from the load's start")
	flag.DurationVar(&cfg.Drain, "drain", 60*time.Second, "most to wait for completions after the load")
	summarize := flag.Bool("summarize", false, "print the results in the JSON `FILE`s given as arguments as one table, and exit")
	flag.Parse()
	if *summarize {
		if err := printTable(os.Stdout, flag.Args()); err != nil {
			fmt.Fprintf(os.Stderr, "kafkadrill: %v\n", err)
			os.Exit(1)
		}
		return
	}
	if *brokers == "" || cfg.Out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	cfg.Brokers = strings.Split(*brokers, ",")
	cfg.Log = os.Stderr

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration+cfg.Drain+3*time.Minute)
	defer cancel()
	res, err := Drill(ctx, cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kafkadrill: %v\n", err)
		os.Exit(1)
	}
	res.Backend = *backend
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		os.Exit(1)
	}
}

// printTable prints one line per result file.
func printTable(w io.Writer, files []string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "backend\tjobs\tcompleted\tlost\tdups\ttakeover_s\tgap_s\tbacklog_s\tcompl/s\tpeak/s\taccept_p50_ms\taccept_p99_ms\te2e_p99_pre_ms\te2e_max_ms\trun_valid\t")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var r Result
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.2f\t%.2f\t%.2f\t%.1f\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%v\t\n",
			r.Backend, r.Jobs, r.Completed, r.Lost, r.Duplicates, r.TakeoverS, r.GapS, r.BacklogClearedS,
			r.ThroughputPerS, r.PeakPerS, r.AcceptP50MS, r.AcceptP99MS, r.E2EBeforeP99MS, r.E2EMaxMS, r.RunValid)
	}
	return tw.Flush()
}
