package broker

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// generation is what one member got from one rebalance.
type generation struct {
	member     string
	id         int32
	partitions []int
	toldLeader bool // the broker named this member the leader
}

// joinGroup starts a kafka-go consumer group member that reports every
// generation it gets on gens until it is closed.
func joinGroup(t *testing.T, brokers []string, name string, gens chan<- generation) *kafka.ConsumerGroup {
	t.Helper()
	var toldLeader atomic.Bool
	cg, err := kafka.NewConsumerGroup(kafka.ConsumerGroupConfig{
		ID:                "g",
		Brokers:           brokers,
		Topics:            []string{"jobs"},
		HeartbeatInterval: 100 * time.Millisecond,
		SessionTimeout:    time.Second,
		RebalanceTimeout:  2 * time.Second,
		JoinGroupBackoff:  100 * time.Millisecond,
		Logger: kafka.LoggerFunc(func(msg string, _ ...any) {
			if strings.HasPrefix(msg, "selected as leader") {
				toldLeader.Store(true)
			}
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			gen, err := cg.Next(context.Background())
			if err != nil {
				return // closed; a failed join shows as a missing generation
			}
			gens <- generation{name, gen.ID, partitionIDs(gen), toldLeader.Swap(false)}
		}
	}()
	return cg
}

func partitionIDs(gen *kafka.Generation) []int {
	var ps []int
	for _, a := range gen.Assignments["jobs"] {
		ps = append(ps, a.ID)
	}
	return ps
}

// TestConsumerGroupAfterLeaderLeaves drives kfake into the rebalance where
// its previous leader is gone and two members remain, the case in which kfake
// names every member the leader, and checks that kafka-go members still end
// up with disjoint assignments that cover the topic.
func TestConsumerGroupAfterLeaderLeaves(t *testing.T) {
	const partitions = 6
	ctx := testCtx(t)
	b := start(t, Config{MinSessionTimeout: time.Second, Topics: []Topic{{Name: "jobs", Partitions: partitions}}})
	gens := make(chan generation, 64)
	byGen := map[int32]map[string]generation{}
	// await reads generations until one holds exactly the named members.
	await := func(members ...string) map[string]generation {
		t.Helper()
		for {
			select {
			case <-ctx.Done():
				t.Fatalf("no generation of exactly %v: got %v", members, byGen)
			case g := <-gens:
				if byGen[g.id] == nil {
					byGen[g.id] = map[string]generation{}
				}
				byGen[g.id][g.member] = g
				if got := slices.Sorted(maps.Keys(byGen[g.id])); slices.Equal(got, members) {
					return byGen[g.id]
				}
			}
		}
	}

	a := joinGroup(t, b.Addrs(), "a", gens)
	defer a.Close()
	await("a") // a joins alone and leads
	bm := joinGroup(t, b.Addrs(), "b", gens)
	defer bm.Close()
	cm := joinGroup(t, b.Addrs(), "c", gens)
	defer cm.Close()
	checkAssignment(t, await("a", "b", "c"), partitions)

	a.Close() // the leader leaves
	left := time.Now()
	after := await("b", "c")
	checkAssignment(t, after, partitions)
	t.Logf("after the leader left: new generation in %v; told leader: b %v, c %v",
		time.Since(left).Round(time.Millisecond), after["b"].toldLeader, after["c"].toldLeader)
}

// checkAssignment fails unless the members of one generation own every
// partition exactly once.
func checkAssignment(t *testing.T, members map[string]generation, partitions int) {
	t.Helper()
	owner := make(map[int]string)
	for name, g := range members {
		for _, p := range g.partitions {
			if o, ok := owner[p]; ok {
				t.Errorf("partition %d owned by %s and %s", p, o, name)
			}
			owner[p] = name
		}
	}
	if len(owner) != partitions {
		t.Errorf("%d of %d partitions assigned: %v", len(owner), partitions, members)
	}
}
