// Command mktopics creates Kafka topics that do not exist yet and waits
// until every partition is served: what `loadgen broker` does for the
// embedded broker, for a real cluster (such as deploy/kafka/kafka.sh's).
//
//	go run ./deploy/kafka/mktopics --brokers 127.0.0.1:19092 loadgen.jobs:6 loadgen.completions:1
//
// Each argument is NAME:PARTITIONS (PARTITIONS defaults to 1). Existing
// topics are left as they are. It exits 1 if the brokers cannot be reached
// or the topics are not served within --timeout, 2 on bad arguments.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/loadchaos/loadgen/targets/asyncsvc"
	"github.com/loadchaos/loadgen/targets/broker"
)

func main() {
	brokers := flag.String("brokers", "127.0.0.1:19092", "Kafka bootstrap brokers, `HOST:PORT,...`")
	replication := flag.Int("replication", 1, "copies of each partition")
	timeout := flag.Duration("timeout", 30*time.Second, "give up after `D`")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: mktopics [flags] NAME[:PARTITIONS]...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	var topics []broker.Topic
	for _, arg := range flag.Args() {
		name, parts, found := strings.Cut(arg, ":")
		n := 1
		if found {
			var err error
			if n, err = strconv.Atoi(parts); err != nil || n < 1 {
				fmt.Fprintf(os.Stderr, "mktopics: %q: want NAME:PARTITIONS\n", arg)
				os.Exit(2)
			}
		}
		topics = append(topics, broker.Topic{Name: name, Partitions: int32(n)})
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := asyncsvc.EnsureTopics(ctx, nil, strings.Split(*brokers, ","), topics, *replication); err != nil {
		fmt.Fprintf(os.Stderr, "mktopics: %v\n", err)
		os.Exit(1)
	}
	for _, t := range topics {
		fmt.Printf("%s:%d\n", t.Name, t.Partitions)
	}
}
