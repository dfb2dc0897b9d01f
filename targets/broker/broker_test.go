package broker

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// testCtx bounds a test so that it fails rather than hangs.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func start(t *testing.T, cfg Config) *Broker {
	t.Helper()
	b, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

func TestStart(t *testing.T) {
	ctx := testCtx(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	listen := ln.Addr().String()
	ln.Close()

	b := start(t, Config{Listen: listen, Topics: []Topic{{Name: "jobs", Partitions: 3}, {Name: "completions"}}})
	if got := b.Addrs(); !slices.Equal(got, []string{listen}) {
		t.Fatalf("Addrs = %v, want [%s]", got, listen)
	}

	conn, err := kafka.DialContext(ctx, "tcp", listen)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for topic, want := range map[string]int{"jobs": 3, "completions": 1} {
		ps, err := conn.ReadPartitions(topic)
		if err != nil || len(ps) != want {
			t.Errorf("topic %s: %d partitions (%v), want %d", topic, len(ps), err, want)
		}
	}
	// kafka-go's ReadPartitions asks the broker to create a missing topic:
	// it must not, twice over.
	for range 2 {
		if ps, err := conn.ReadPartitions("no.such.topic"); !errors.Is(err, kafka.UnknownTopicOrPartition) {
			t.Errorf("missing topic: %v, %v; want UnknownTopicOrPartition", ps, err)
		}
	}

	b.Close()
	b.Close() // a second Close does nothing
	if c, err := kafka.DialContext(ctx, "tcp", listen); err == nil {
		c.Close()
		t.Error("dial after Close succeeded")
	}
}

func TestStartInvalid(t *testing.T) {
	_, err := Start(Config{
		MinSessionTimeout: -time.Second,
		Topics:            []Topic{{Name: "a"}, {Partitions: 2}, {Name: "a"}, {Name: "b", Partitions: -1}},
	})
	for _, w := range []string{"min session timeout", "topics[1]: no name", `topics[2]: "a" named twice`, "topics[3]: -1 partitions"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Start = %v, want an error containing %q", err, w)
		}
	}
}

func TestMinSessionTimeout(t *testing.T) {
	ctx := testCtx(t)
	for _, tc := range []struct {
		min, session time.Duration
		refused      bool
	}{
		{0, 6 * time.Second, false},           // the default floor is 6 s, inclusive
		{0, 2 * time.Second, true},            // below the default floor
		{time.Second, 2 * time.Second, false}, // a lower floor lets drills go faster
	} {
		b := start(t, Config{MinSessionTimeout: tc.min, Topics: []Topic{{Name: "jobs"}}})
		client := kafka.Client{Addr: kafka.TCP(b.Addrs()...)}
		resp, err := client.JoinGroup(ctx, &kafka.JoinGroupRequest{
			GroupID:          "g",
			SessionTimeout:   tc.session,
			RebalanceTimeout: tc.session,
			ProtocolType:     "consumer",
			Protocols:        []kafka.GroupProtocol{{Name: "range", Metadata: kafka.GroupProtocolSubscription{Topics: []string{"jobs"}}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if refused := errors.Is(resp.Error, kafka.InvalidSessionTimeout); refused != tc.refused {
			t.Errorf("min %v, session %v: join error %v, want refused %v", tc.min, tc.session, resp.Error, tc.refused)
		}
	}
}
