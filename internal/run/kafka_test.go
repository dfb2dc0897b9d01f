package run

import (
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

func TestDirectProduceRecordsAcceptLatency(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(3, "loadgen.jobs"))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	res := runFor(t, 30*time.Second, Options{Profile: constantProfile(t, 200, 2*time.Second),
		Brokers: cluster.ListenAddrs(), Topic: "loadgen.jobs"})
	a := res.Summary.Async
	// On a busy machine the generator may skip some requests as late: they
	// are counted, never silently lost.
	if a == nil || a.Accepted+a.Schedule.Late+a.Schedule.Dropped != 400 || a.Accepted < 300 || a.Rejected != 0 {
		t.Fatalf("async %+v; want 400 accepted or counted late, none rejected", a)
	}
	if a.AcceptLatencyMS.P50 <= 0 || a.AcceptLatencyMS.Max > 5000 {
		t.Fatalf("accept latency %+v; want positive and bounded", a.AcceptLatencyMS)
	}
	if res.Summary.Run.Targets.Topic != "loadgen.jobs" || len(res.Summary.Run.Targets.Brokers) != 1 {
		t.Fatalf("targets %+v; want the topic and broker named", res.Summary.Run.Targets)
	}
}
