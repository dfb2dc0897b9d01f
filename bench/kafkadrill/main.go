// Command kafkadrill measures one chaos drill on one Kafka cluster, with
// loadgen's own processes as a user would run them: consumers in one group
// and an async edge (`loadgen target async-consumer|async-edge`), a steady
// load through the edge (`loadgen run PROFILE --async-url`, which follows
// every accepted job to its completion), and a fault mid-run: consumer w1
// SIGKILLed (kill-one), every consumer SIGKILLed and new ones started
// (kill-all), w1 and w2 paused past their session timeout (pause-two;
// refused on windows, which cannot pause a process), or the broker taken
// down and brought back by commands of the caller's (broker). It reads the
// completions topic itself and the jobs topic after the run, and prints what
// it measured as JSON: lost (accepted, never completed), rejected,
// duplicates, takeover time, throughput. bench/kafka-drill.sh and
// bench/drills.sh run it on the embedded broker and on Apache Kafka;
// docs/kafka-vs-kfake.md and bench/RESULTS.md ("Drills") have the figures.
//
//	go build -o loadgen ./cmd/loadgen
//	go run ./bench/kafkadrill --loadgen ./loadgen --brokers 127.0.0.1:19092 --out /tmp/drill >kafka-1.json
//	go run ./bench/kafkadrill --summarize kafka-*.json   # a line of figures per drill
//	go run ./bench/kafkadrill --line kafka-1.json        # the drill in a sentence
//	go run ./bench/kafkadrill --drills *.json            # per broker and kind, and the verdict
//
// The jobs topic (default loadgen.jobs) and the completions topic (default
// loadgen.completions) must exist, and the jobs topic must be empty.
//
// Exit codes: 0 ok; 1 the drill could not run (its JSON has "error");
// 2 bad flags; with --drills, 99 when a drill lost an accepted job or left
// one in the topic undone, else 1 when one could not run.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() { os.Exit(run()) }

// run does what the flags say and returns the exit code.
func run() int {
	var cfg Config
	brokers := flag.String("brokers", "", "Kafka bootstrap brokers, `HOST:PORT,...` (required)")
	backend := flag.String("backend", "", "a `NAME` for the cluster in the result, such as kfake or kafka")
	kind := flag.String("kind", string(KillOne), "the fault: `KIND` kill-one, kill-all, pause-two or broker")
	flag.StringVar(&cfg.Loadgen, "loadgen", "./loadgen", "the loadgen `BINARY`")
	flag.StringVar(&cfg.Out, "out", "", "`DIR` for the logs and the run bundle (required)")
	flag.StringVar(&cfg.JobsTopic, "jobs-topic", "loadgen.jobs", "jobs `TOPIC`")
	flag.StringVar(&cfg.CompletionsTopic, "completions-topic", "loadgen.completions", "completions `TOPIC`")
	flag.StringVar(&cfg.Group, "group", "", "consumer `GROUP` (default drill-<unix time>)")
	flag.IntVar(&cfg.Consumers, "consumers", 3, "consumer processes (`N`): w1, w2, ...")
	flag.StringVar(&cfg.Service, "service", "fixed:5ms", "each consumer's service time")
	flag.IntVar(&cfg.Concurrency, "concurrency", 4, "each consumer's jobs at once")
	flag.DurationVar(&cfg.SessionTimeout, "session-timeout", 6*time.Second, "the consumers' group session timeout")
	flag.IntVar(&cfg.Rate, "rate", 200, "req/s the load offers")
	flag.DurationVar(&cfg.Duration, "duration", 30*time.Second, "how long the load runs")
	flag.DurationVar(&cfg.FaultAt, "fault-at", 10*time.Second, "when the fault is played, from the load's start")
	flag.DurationVar(&cfg.FaultFor, "fault-for", 0, "how long the fault lasts before it is undone: kill-all until new consumers start, pause-two the pause (longer than --session-timeout), broker from --broker-down's end to --broker-up; 0: at once")
	flag.StringVar(&cfg.BrokerDown, "broker-down", "", "shell `COMMAND` that takes the broker down (--kind broker)")
	flag.StringVar(&cfg.BrokerUp, "broker-up", "", "shell `COMMAND` that brings the broker back and returns once it answers (--kind broker)")
	flag.DurationVar(&cfg.Drain, "drain", 60*time.Second, "most to wait for completions after the load")
	summarize := flag.Bool("summarize", false, "print the results in the JSON `FILE`s given as arguments, a line of figures each, and exit")
	line := flag.Bool("line", false, "print the result in the JSON `FILE` given as argument in a sentence, and exit")
	drills := flag.Bool("drills", false, "print the results in the JSON `FILE`s given as arguments per broker and kind, then a verdict line, and exit")
	flag.Parse()
	if *summarize || *line || *drills {
		return report(*summarize, *line, flag.Args())
	}
	k, err := parseKind(*kind)
	if err != nil || *brokers == "" || cfg.Out == "" || flag.NArg() > 0 {
		if err != nil {
			fmt.Fprintf(os.Stderr, "kafkadrill: --kind: %v\n", err)
		}
		flag.Usage()
		return 2
	}
	cfg.Kind = k
	cfg.Brokers = strings.Split(*brokers, ",")
	cfg.Log = os.Stderr

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration+cfg.Drain+3*time.Minute)
	defer cancel()
	res, err := Drill(ctx, cfg)
	code := 0
	if err != nil {
		fmt.Fprintf(os.Stderr, "kafkadrill: %v\n", err)
		res, code = &Result{Kind: k, Error: err.Error()}, 1
	}
	res.Backend = *backend
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		fmt.Fprintf(os.Stderr, "kafkadrill: write the result: %v\n", err)
		return 1
	}
	return code
}

// report prints the result files in one of the three forms and returns the
// exit code.
func report(summarize, line bool, files []string) int {
	if len(files) == 0 || (line && len(files) != 1) {
		fmt.Fprintln(os.Stderr, "kafkadrill: --line takes one result file, --summarize and --drills one or more")
		return 2
	}
	results := make([]*Result, len(files))
	for i, f := range files {
		r, err := readResult(f)
		if err != nil {
			fmt.Fprintf(os.Stderr, "kafkadrill: %v\n", err)
			return 2
		}
		results[i] = r
	}
	var err error
	code := 0
	switch {
	case summarize:
		err = printRounds(os.Stdout, results)
	case line:
		_, err = fmt.Fprintln(os.Stdout, sentence(results[0]))
	default:
		var v verdict
		v, err = printDrills(os.Stdout, results, files)
		code = v.exitCode()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "kafkadrill: %v\n", err)
		return 1
	}
	return code
}
