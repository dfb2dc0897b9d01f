// Command pacecost measures the CPU that loadgen's pacer alone spends per
// request: it paces a constant-rate schedule and dispatches every request
// to nobody. No connection, no worker, no recording: what is left is the
// sleep until each request's time and the wake at it, which any open-model
// generator that sends each request at its own time pays at least once per
// request. bench/compare.sh prints it as the floor under loadgen's CPU per
// request; on a virtual machine a wake can cost tens of microseconds.
//
//	pacecost -rate 2000 -duration 10s
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/loadchaos/loadgen/internal/pace"
)

func main() {
	rate := flag.Float64("rate", 2000, "requests per second")
	duration := flag.Duration("duration", 10*time.Second, "how long to pace")
	flag.Parse()
	if *rate <= 0 || *duration <= 0 {
		log.Fatal("pacecost: -rate and -duration must be positive")
	}

	p := &pace.Pacer{
		Schedule:  pace.NewSchedule(pace.Constant{PerSecond: *rate}, *duration),
		Start:     time.Now(),
		LateAfter: 10 * time.Millisecond,
		Dispatch:  func(pace.Job) bool { return true },
	}
	before := cpuTime()
	lag := p.Run(context.Background())
	cpu := cpuTime() - before

	c := p.Counts()
	fmt.Printf("pacer alone at %.0f req/s for %v: %d requests, %d late, lag p99 %.3f ms, %.2f s CPU = %.1f CPU-us per request\n",
		*rate, *duration, c.Scheduled, c.Late, float64(lag.ValueAtQuantile(99))/1e6,
		cpu.Seconds(), float64(cpu.Microseconds())/float64(max(c.Scheduled, 1)))
}
