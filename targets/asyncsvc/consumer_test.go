package asyncsvc

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/targets/broker"
	"github.com/loadchaos/loadgen/targets/work"
)

// model is the work of every test consumer: 2 ms a job, 4 at once.
var model = work.Model{Service: work.Dist{Kind: work.Fixed, Median: 2 * time.Millisecond}, Concurrency: 4}

// running is a consumer started by startConsumer.
type running struct {
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
}

// startConsumer runs a consumer until the test ends and returns once it is
// ready.
func startConsumer(t *testing.T, cfg ConsumerConfig) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1)}
	ready := make(chan struct{})
	go func() { r.done <- RunConsumer(ctx, cfg, func() { close(ready) }) }()
	t.Cleanup(func() { r.stop(t) })
	select {
	case <-ready:
	case err := <-r.done:
		r.once.Do(func() { r.err = err })
		t.Fatalf("consumer %s: %v", cfg.Worker, err)
	case <-time.After(30 * time.Second):
		t.Fatalf("consumer %s not ready within 30 s", cfg.Worker)
	}
	return r
}

// stop ends the consumer and returns RunConsumer's error.
func (r *running) stop(t *testing.T) error {
	r.once.Do(func() {
		r.cancel()
		select {
		case r.err = <-r.done:
		case <-time.After(20 * time.Second):
			r.err = fmt.Errorf("still running 20 s after ctx done")
			t.Error(r.err)
		}
	})
	return r.err
}

// ledger counts completions by group and id.
type ledger map[string]map[string][]wire.Completion

func (l ledger) add(c wire.Completion) {
	if l[c.Group] == nil {
		l[c.Group] = map[string][]wire.Completion{}
	}
	l[c.Group][c.ID] = append(l[c.Group][c.ID], c)
}

// complete reports whether group completed all of job-0..job-n-1.
func (l ledger) complete(group string, n int) bool { return len(l[group]) == n }

// duplicates counts the completions of group beyond the first of each job.
func (l ledger) duplicates(group string) int {
	d := 0
	for _, cs := range l[group] {
		d += len(cs) - 1
	}
	return d
}

// missing lists up to 10 of job-0..job-n-1 that group did not complete.
func (l ledger) missing(group string, n int) []string {
	var ids []string
	for i := range n {
		if id := fmt.Sprintf("job-%d", i); len(l[group][id]) == 0 && len(ids) < 10 {
			ids = append(ids, id)
		}
	}
	return ids
}

// TestConsumerGroups runs two groups on one jobs topic: "email" with two
// members, which share the partitions, and "audit" with one, whose work
// fails often. Each group completes every job; after everyone has left, a
// new member redoes nothing, since every batch was committed.
func TestConsumerGroups(t *testing.T) {
	const jobs = 300
	ctx := testCtx(t, 60*time.Second)
	jobsTopic, doneTopic := topicName(t, "jobs"), topicName(t, "completions")
	brokers := testBrokers(t, broker.Topic{Name: jobsTopic, Partitions: 4}, broker.Topic{Name: doneTopic, Partitions: 1})
	// Group ids unique to the run, so that runs never meet on a real cluster.
	email, audit := topicName(t, "email"), topicName(t, "audit")
	consumer := func(group, worker string, failureRate float64) ConsumerConfig {
		m := model
		m.FailureRate = failureRate
		return ConsumerConfig{Brokers: brokers, Topic: jobsTopic, CompletionsTopic: doneTopic, Group: group, Worker: worker, Model: m, Seed: 1}
	}
	members := []*running{
		startConsumer(t, consumer(email, "email-1", 0)),
		startConsumer(t, consumer(email, "email-2", 0)),
		startConsumer(t, consumer(audit, "audit-1", 0.4)),
	}
	if err := <-produceJobs(ctx, brokers, jobsTopic, jobs, 0); err != nil {
		t.Fatal(err)
	}

	l := ledger{}
	byWorker := map[string]int{}
	failed := 0
	done := completions(ctx, t, brokers, doneTopic)
	for !l.complete(email, jobs) || !l.complete(audit, jobs) {
		select {
		case c := <-done:
			l.add(c)
			byWorker[c.Worker]++
			if c.Failed {
				failed++
			}
		case <-ctx.Done():
			t.Fatalf("not every job completed: email misses %v, audit %v", l.missing(email, jobs), l.missing(audit, jobs))
		}
	}
	t.Logf("completions by worker %v; duplicates: email %d, audit %d; audit jobs failed 3 times: %d",
		byWorker, l.duplicates(email), l.duplicates(audit), failed)
	if byWorker["email-1"] == 0 || byWorker["email-2"] == 0 {
		t.Errorf("completions by worker %v: want both email members to share the jobs", byWorker)
	}
	if failed == 0 || byWorker["audit-1"] < jobs {
		t.Errorf("audit: %d completions, %d failed; want every job, some failed after 3 attempts (40%% failure rate)", byWorker["audit-1"], failed)
	}

	for i, m := range members {
		start := time.Now()
		if err := m.stop(t); err != nil {
			t.Errorf("member %d: RunConsumer = %v, want nil after ctx done", i, err)
		}
		t.Logf("member %d stopped in %v", i, time.Since(start).Round(time.Millisecond))
	}

	// A new member of email starts from the committed offsets: nothing to do.
	startConsumer(t, consumer(email, "email-3", 0))
	select {
	case c := <-done:
		t.Errorf("after a restart: %+v, want no completion", c)
	case <-time.After(time.Second):
	}
}

// TestConsumerCrashTakeover cuts consumer a off the broker while jobs flow,
// as a SIGKILL would: it neither commits nor leaves the group. b takes its
// partitions once a's session times out and redoes a's uncommitted jobs; no
// job is lost.
func TestConsumerCrashTakeover(t *testing.T) {
	const jobs, partitions = 300, 4
	ctx := testCtx(t, 60*time.Second)
	jobsTopic, doneTopic := topicName(t, "jobs"), topicName(t, "completions")
	brokers := testBrokers(t, broker.Topic{Name: jobsTopic, Partitions: partitions}, broker.Topic{Name: doneTopic, Partitions: 1})
	group := topicName(t, "group")
	cfg := ConsumerConfig{Brokers: brokers, Topic: jobsTopic, CompletionsTopic: doneTopic, Group: group, Model: model}
	var link severable
	acfg := cfg
	acfg.Worker, acfg.dial = "a", link.dial
	a := startConsumer(t, acfg)
	bcfg := cfg
	bcfg.Worker = "b"
	startConsumer(t, bcfg)

	produced := produceJobs(ctx, brokers, jobsTopic, jobs, 30*time.Millisecond)
	l := ledger{}
	owner := make([]string, partitions) // who completed the latest job of each partition
	latest := make([]int, partitions)
	done := completions(ctx, t, brokers, doneTopic)
	next := func() wire.Completion {
		t.Helper()
		select {
		case c := <-done:
			l.add(c)
			if i := jobIndex(c.ID); i >= latest[i%partitions] {
				latest[i%partitions], owner[i%partitions] = i, c.Worker
			}
			return c
		case <-ctx.Done():
			t.Fatalf("not every job completed: missing %v; partition owners %v", l.missing(group, jobs), owner)
			panic("unreachable")
		}
	}

	// Crash a once every partition has an owner, a and b among them.
	for slices.Contains(owner, "") || !slices.Contains(owner, "a") || !slices.Contains(owner, "b") {
		next()
	}
	var orphans []int
	for p, o := range owner {
		if o == "a" {
			orphans = append(orphans, p)
		}
	}
	link.sever()
	crashed := time.Now()
	a.cancel() // the process is gone: let its goroutines end
	t.Logf("a crashed owning partitions %v; it ended with: %v", orphans, a.stop(t))

	var takeover time.Duration
	for !l.complete(group, jobs) {
		c := next()
		doneAt := time.Unix(0, c.DoneNS)
		if takeover == 0 && c.Worker == "b" && slices.Contains(orphans, jobIndex(c.ID)%partitions) && doneAt.After(crashed) {
			takeover = doneAt.Sub(crashed)
		}
	}
	if err := <-produced; err != nil {
		t.Fatal(err)
	}
	dups := l.duplicates(group)
	var redone []string
	for _, id := range slices.Sorted(maps.Keys(l[group])) {
		if len(l[group][id]) > 1 {
			var by []string
			for _, c := range l[group][id] {
				by = append(by, c.Worker)
			}
			redone = append(redone, id+" by "+strings.Join(by, ","))
		}
	}
	t.Logf("takeover: b completed a job of a's partitions %v after the crash; every job completed, %d duplicates: %s",
		takeover.Round(time.Millisecond), dups, strings.Join(redone, "; "))
	if takeover == 0 {
		t.Error("b never completed a job of a's partitions")
	}
}
