//go:build unix

package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/testkit"
)

// TestDrillLosesNoAcceptedJobWhenTheBrokerPauses pauses a `loadgen
// broker` process (SIGSTOP) for 7 s, longer than the edge's 5 s produce
// budget, 3 s into 14 s of load: requests then are rejected (503), never
// accepted and lost; every accepted job is completed once the broker is
// back (SIGCONT), and the drill measures when. The embedded broker only:
// the Apache Kafka broker of CI is shared by the tests.
func TestDrillLosesNoAcceptedJobWhenTheBrokerPauses(t *testing.T) {
	if testing.Short() || os.Getenv("KAFKA_BROKERS") != "" {
		t.Skip("a 14 s drill with processes, on a broker process of its own")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	bin := testkit.BuildCommand(t, "loadgen", "")
	brokerCmd := exec.Command(bin, "broker", "--listen", "127.0.0.1:0", "--topic", "pause.jobs:6", "--topic", "pause.completions:1")
	out, err := brokerCmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := brokerCmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		brokerCmd.Process.Signal(syscall.SIGCONT)
		brokerCmd.Process.Kill()
		brokerCmd.Wait()
	}()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "READY "); ok {
				addr <- a
			}
		}
	}()
	var brokers []string
	select {
	case a := <-addr:
		brokers = []string{a}
	case <-ctx.Done():
		t.Fatal("the broker did not print READY")
	}

	const pause = 7 * time.Second
	var log strings.Builder
	pid := brokerCmd.Process.Pid
	res, err := Drill(ctx, Config{
		Loadgen: bin, Brokers: brokers, JobsTopic: "pause.jobs", CompletionsTopic: "pause.completions", Group: "pause",
		Rate: 100, Duration: 14 * time.Second, Kind: Broker, FaultAt: 3 * time.Second, FaultFor: pause,
		BrokerDown: fmt.Sprintf("kill -STOP %d", pid), BrokerUp: fmt.Sprintf("kill -CONT %d", pid),
		Drain: 30 * time.Second, Out: t.TempDir(), Log: &log,
	})
	t.Log(log.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Log(sentence(res))
	if res.Lost != 0 || res.Uncompleted != 0 {
		t.Errorf("lost %d, uncompleted %d: want none", res.Lost, res.Uncompleted)
	}
	if res.Rejected == 0 || res.Accepted+res.Rejected != res.Sent || res.Accepted < 700 {
		t.Errorf("sent %d: accepted %d, rejected %d; want some rejected, the rest accepted, at least 700", res.Sent, res.Accepted, res.Rejected)
	}
	// Completions resume once the broker does, not before.
	if !res.TookOver || res.TakeoverS < pause.Seconds() || res.TakeoverS > pause.Seconds()+10 {
		t.Errorf("completions again %v, %.2fs after the pause began; want within 10 s after its %v", res.TookOver, res.TakeoverS, pause)
	}
}
