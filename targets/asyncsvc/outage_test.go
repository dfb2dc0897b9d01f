package asyncsvc

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/testkit"
	"github.com/loadchaos/loadgen/targets/broker"
	"github.com/loadchaos/loadgen/targets/work"
)

// TestConsumerRidesOutABrokerOutage cuts a consumer off the broker while it
// has jobs in work, for longer than kafka-go's own retries of a produce, and
// lets it back: the consumer keeps running, completes every job once the
// broker answers again, and logs the outage once and the recovery once.
func TestConsumerRidesOutABrokerOutage(t *testing.T) {
	const jobs, partitions = 60, 2
	outageFor := 3 * time.Second
	ctx := testCtx(t, 60*time.Second)
	jobsTopic, doneTopic := topicName(t, "jobs"), topicName(t, "completions")
	brokers := testBrokers(t, broker.Topic{Name: jobsTopic, Partitions: partitions}, broker.Topic{Name: doneTopic, Partitions: 1})
	group := topicName(t, "group")
	var link severable
	var logs testkit.Buffer
	slow := work.Model{Service: work.Dist{Kind: work.Fixed, Median: 200 * time.Millisecond}, Concurrency: 4}
	c := startConsumer(t, ConsumerConfig{Brokers: brokers, Topic: jobsTopic, CompletionsTopic: doneTopic, Group: group,
		Worker: "a", Model: slow, Logger: slog.New(slog.NewTextHandler(&logs, nil)), dial: link.dial})

	produced := produceJobs(ctx, brokers, jobsTopic, jobs, 50*time.Millisecond)
	done := completions(ctx, t, brokers, doneTopic)
	l := ledger{}
	next := func() {
		t.Helper()
		select {
		case cm := <-done:
			l.add(cm)
		case err := <-c.done:
			c.once.Do(func() { c.err = err })
			t.Fatalf("the consumer exited: %v", err)
		case <-ctx.Done():
			t.Fatalf("not every job completed: missing %v", l.missing(group, jobs))
		}
	}
	for len(l[group]) < 5 {
		next()
	}
	link.sever() // jobs are in work: their completions meet the outage
	cut := time.Now()
	restored := make(chan struct{})
	go func() {
		defer close(restored)
		if sleep(ctx, outageFor) == nil {
			link.restore()
		}
	}()
	t.Cleanup(func() { <-restored })
	for !l.complete(group, jobs) {
		next()
	}
	if err := <-produced; err != nil {
		t.Fatal(err)
	}
	if since := time.Since(cut); since < outageFor {
		t.Errorf("every job completed %v after the cut, before the broker was back", since)
	}
	if err := c.stop(t); err != nil {
		t.Errorf("consumer stopped with %v", err)
	}
	out := logs.String()
	if n := strings.Count(out, "cannot produce completions"); n != 1 {
		t.Errorf("outage logged %d times, want once:\n%s", n, out)
	}
	if n := strings.Count(out, "can produce completions again"); n != 1 {
		t.Errorf("recovery logged %d times, want once:\n%s", n, out)
	}
	if began, ended := strings.Count(out, "cannot fetch jobs"), strings.Count(out, "can fetch jobs again"); began > 1 || ended != began {
		t.Errorf("fetch outage logged %d times and its end %d times, want at most once and as often:\n%s", began, ended, out)
	}
	t.Logf("%d duplicates after the outage; log:\n%s", l.duplicates(group), out)
}

// TestConsumerStopsPromptlyDuringAnOutage cancels a consumer whose
// completions cannot be produced: it stops retrying at once and returns
// within its drain; a job still waiting stays uncommitted for redelivery.
func TestConsumerStopsPromptlyDuringAnOutage(t *testing.T) {
	ctx := testCtx(t, 60*time.Second)
	jobsTopic, doneTopic := topicName(t, "jobs"), topicName(t, "completions")
	brokers := testBrokers(t, broker.Topic{Name: jobsTopic, Partitions: 1}, broker.Topic{Name: doneTopic, Partitions: 1})
	var link severable
	slow := work.Model{Service: work.Dist{Kind: work.Fixed, Median: 200 * time.Millisecond}, Concurrency: 4}
	c := startConsumer(t, ConsumerConfig{Brokers: brokers, Topic: jobsTopic, CompletionsTopic: doneTopic, Group: topicName(t, "group"),
		Worker: "a", Model: slow, Drain: time.Second, dial: link.dial})
	if err := <-produceJobs(ctx, brokers, jobsTopic, 4, 0); err != nil {
		t.Fatal(err)
	}
	done := completions(ctx, t, brokers, doneTopic)
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatal("no job completed before the outage")
	}
	link.sever()
	if err := <-produceJobs(ctx, brokers, jobsTopic, 4, 0); err != nil {
		t.Fatal(err)
	}
	if sleep(ctx, 2*time.Second) != nil { // retrying by now
		t.Fatal(ctx.Err())
	}
	began := time.Now()
	err := c.stop(t)
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("stopped %v after cancel, want within the 1 s drain and a produce attempt", took)
	}
	t.Logf("stopped with: %v", err)
}
