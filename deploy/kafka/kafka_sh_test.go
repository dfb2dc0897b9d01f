// Package kafka_test tests deploy/kafka/kafka.sh with a real broker.
package kafka_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/loadchaos/loadgen/targets/asyncsvc"
	"github.com/loadchaos/loadgen/targets/broker"
)

// kafkaSh runs kafka.sh with args and the test's state folder, and returns
// its standard output and its exit code.
func kafkaSh(ctx context.Context, t *testing.T, state string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.CommandContext(ctx, "./kafka.sh", args...)
	cmd.Env = append(os.Environ(), "KAFKA_STATE="+state, "KAFKA_PORT=0", "KAFKA_CONTROLLER_PORT=0",
		fmt.Sprintf("KAFKA_OWNER_PID=%d", os.Getpid()))
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	t.Logf("kafka.sh %s: %s", strings.Join(args, " "), strings.TrimSpace(errOut.String()))
	if err != nil && cmd.ProcessState == nil {
		t.Fatalf("kafka.sh %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(out.String()), cmd.ProcessState.ExitCode()
}

// messages is how many messages the topic's partition 0 holds; an error
// if the topic does not exist.
func messages(ctx context.Context, addr, topic string) (int64, error) {
	tr := &kafka.Transport{}
	defer tr.CloseIdleConnections()
	c := &kafka.Client{Addr: kafka.TCP(addr), Transport: tr, Timeout: 10 * time.Second}
	res, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{
		topic: {kafka.FirstOffsetOf(0), kafka.LastOffsetOf(0)}}})
	if err != nil {
		return 0, err
	}
	ps := res.Topics[topic]
	if len(ps) != 1 {
		return 0, fmt.Errorf("topic %s: %d partitions in the answer", topic, len(ps))
	}
	if ps[0].Error != nil {
		return 0, ps[0].Error
	}
	return ps[0].LastOffset - ps[0].FirstOffset, nil
}

// TestKillThenStartKeepingTheDataIsACrashThatLosesNoAckedMessage: what
// bench/drills.sh does to Apache Kafka. A broker SIGKILLed by `kafka.sh
// kill` comes back with `start --keep-data` on the same address with every
// message it acknowledged; a plain `start` still begins on empty storage
// (what .ci/run relies on).
func TestKillThenStartKeepingTheDataIsACrashThatLosesNoAckedMessage(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Apache Kafka three times")
	}
	for _, tool := range []string{"java", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: kafka.sh needs it", tool)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 8*time.Minute)
	defer cancel()
	state := t.TempDir()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		kafkaSh(ctx, t, state, "stop")
	})

	out, code := kafkaSh(ctx, t, state, "start")
	addr, ok := strings.CutPrefix(out, "KAFKA_BROKERS=")
	if code != 0 || !ok {
		t.Fatalf("start: exit %d, printed %q", code, out)
	}
	const topic, sent = "kept", 100
	if err := asyncsvc.EnsureTopics(ctx, nil, []string{addr}, []broker.Topic{{Name: topic, Partitions: 1}}, 1); err != nil {
		t.Fatal(err)
	}
	w := &kafka.Writer{Addr: kafka.TCP(addr), Topic: topic, RequiredAcks: kafka.RequireAll, BatchTimeout: time.Millisecond}
	for i := range sent {
		if err := w.WriteMessages(ctx, kafka.Message{Value: fmt.Appendf(nil, "m%d", i)}); err != nil {
			t.Fatalf("produce %d: %v", i, err)
		}
	}
	w.Close()

	if _, code := kafkaSh(ctx, t, state, "kill"); code != 0 {
		t.Fatalf("kill: exit %d", code)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatalf("kill returned with %s still taking connections; want it closed, for start --keep-data", addr)
	}
	if out, code := kafkaSh(ctx, t, state, "status"); code == 0 {
		t.Fatalf("status after kill: %q, exit 0; want not running", out)
	}
	if out, code := kafkaSh(ctx, t, state, "start", "--keep-data"); code != 0 || out != "KAFKA_BROKERS="+addr {
		t.Fatalf("start --keep-data: exit %d, printed %q; want KAFKA_BROKERS=%s", code, out, addr)
	}
	if n, err := messages(ctx, addr, topic); err != nil || n != sent {
		t.Fatalf("after the crash: %d messages (%v); want the %d acknowledged", n, err, sent)
	}

	if _, code := kafkaSh(ctx, t, state, "stop"); code != 0 {
		t.Fatalf("stop: exit %d", code)
	}
	out, code = kafkaSh(ctx, t, state, "start")
	fresh, _ := strings.CutPrefix(out, "KAFKA_BROKERS=")
	if code != 0 {
		t.Fatalf("start: exit %d", code)
	}
	if n, err := messages(ctx, fresh, topic); !errors.Is(err, kafka.UnknownTopicOrPartition) {
		t.Fatalf("after a plain start, topic %s: %d messages, %v; want no such topic: empty storage", topic, n, err)
	}
}
