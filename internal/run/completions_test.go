package run

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/testkit"
	"github.com/loadchaos/loadgen/targets/asyncsvc"
	"github.com/loadchaos/loadgen/targets/work"
)

// failReadsOf makes the cluster close the connection of every fetch of
// topic, and of every offsets request a reader makes on reconnecting, from
// `from` until `until`, as a broker restarting would; it counts them.
func failReadsOf(c *kfake.Cluster, topic string, from, until time.Time) *atomic.Int64 {
	var failed atomic.Int64
	control := func(topics func(kmsg.Request) []string) func(kmsg.Request) (kmsg.Response, error, bool) {
		return func(req kmsg.Request) (kmsg.Response, error, bool) {
			c.KeepControl()
			if now := time.Now(); now.Before(from) || now.After(until) || !slices.Contains(topics(req), topic) {
				return nil, nil, false
			}
			failed.Add(1)
			return nil, errors.New("broker restarting"), true
		}
	}
	c.ControlKey(int16(kmsg.Fetch), control(func(req kmsg.Request) (names []string) {
		for _, t := range req.(*kmsg.FetchRequest).Topics {
			names = append(names, t.Topic)
		}
		return names
	}))
	c.ControlKey(int16(kmsg.ListOffsets), control(func(req kmsg.Request) (names []string) {
		for _, t := range req.(*kmsg.ListOffsetsRequest).Topics {
			names = append(names, t.Topic)
		}
		return names
	}))
	return &failed
}

// TestARunWhoseCompletionsReaderRecoversSucceeds breaks the completions
// reader's fetches for 3 s mid-run, long enough for kafka-go to hand the
// reader an error (after 3 failed reconnections): the reader resumes, so the run
// ends without error, results/latest leads to it, every job is followed to
// its completion and the progress output says the reader recovered.
func TestARunWhoseCompletionsReaderRecoversSucceeds(t *testing.T) {
	const jobs, done = "jobs", "jobs.done"
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, jobs), kfake.SeedTopics(1, done))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	brokers := c.ListenAddrs()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	edgeAddr := make(chan string, 1)
	go asyncsvc.RunEdge(ctx, asyncsvc.EdgeConfig{Brokers: brokers, Topic: jobs}, func(a string) { edgeAddr <- a })
	consumerReady := make(chan struct{})
	go asyncsvc.RunConsumer(ctx, asyncsvc.ConsumerConfig{Brokers: brokers, Topic: jobs, Group: "svc", CompletionsTopic: done,
		Model: work.Model{Service: work.Dist{Kind: work.Fixed, Median: time.Millisecond}}}, func() { close(consumerReady) })
	var url string
	select {
	case <-consumerReady:
	case <-ctx.Done():
		t.Fatal("the consumer did not start")
	}
	select {
	case a := <-edgeAddr:
		url = "http://" + a + "/work"
	case <-ctx.Done():
		t.Fatal("the edge did not start")
	}

	failed := failReadsOf(c, done, time.Now().Add(time.Second), time.Now().Add(4*time.Second))
	prof := constantProfile(t, 50, 5*time.Second)
	prof.HTTP.Method, prof.HTTP.Body = "POST", `{"id":"{{id}}"}`
	var progress testkit.Buffer
	out := t.TempDir()
	res := runFor(t, time.Minute, Options{Profile: prof, AsyncURL: url, Brokers: brokers, CompletionsTopic: done, Out: out, Progress: &progress})
	t.Logf("%d reads failed", failed.Load())
	if failed.Load() == 0 {
		t.Fatal("no fetch of the completions failed: the test proves nothing")
	}
	a := res.Summary.Async
	if a.Completed == nil || *a.Completed != a.Accepted || *a.Lost != 0 || a.Accepted < 100 {
		t.Errorf("async %+v: want every accepted job followed to its completion", a)
	}
	if latest, err := bundle.ReadSummary(filepath.Join(out, "latest")); err != nil || latest.Run.ID != res.Summary.Run.ID {
		t.Errorf("latest leads to %v (%v), want this run", latest, err)
	}
	if !strings.Contains(progress.String(), "recovered from them") {
		t.Errorf("progress does not say the reader recovered:\n%s", progress.String())
	}
}
