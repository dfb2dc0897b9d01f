package profiles

import (
	"slices"
	"strings"
	"testing"
)

func TestLagGroupsAreReadWithTheirTopic(t *testing.T) {
	p, err := Parse("lag.yaml", []byte(`version: 1
stages: [{shape: constant, rate: 1, for: 1s}]
lag_groups: [billing, search.indexer]
lag_topic: orders.jobs
`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.LagGroups, []string{"billing", "search.indexer"}) || p.LagTopic != "orders.jobs" {
		t.Fatalf("lag_groups %q, lag_topic %q; want both as written", p.LagGroups, p.LagTopic)
	}
	// The bundle's profile.yaml keeps them.
	if again := writtenBack(t, p); !slices.Equal(again.LagGroups, p.LagGroups) || again.LagTopic != p.LagTopic {
		t.Fatalf("parsed back: lag_groups %q, lag_topic %q; want the same", again.LagGroups, again.LagTopic)
	}
}

func TestBadLagGroupsAreReportedOnTheirLines(t *testing.T) {
	got := problemsOf(t, `version: 1
stages: [{shape: constant, rate: 1, for: 1s}]
lag_groups:
  - billing
  - ""
  - "has space"
  - billing
lag_topic: "no/slash"
`)
	want := []struct {
		line  int
		field string
		msg   string
	}{
		{5, "lag_groups[1]", "must not be empty"},
		{6, "lag_groups[2]", "not a consumer group name"},
		{7, "lag_groups[3]", "listed twice"},
		{8, "lag_topic", "not a Kafka topic name"},
	}
	if len(got) != len(want) {
		t.Fatalf("problems %v; want %d", got, len(want))
	}
	for i, w := range want {
		if got[i].Line != w.line || got[i].Field != w.field || !strings.Contains(got[i].Message, w.msg) {
			t.Errorf("problem %d = %+v; want line %d, field %s, containing %q", i, got[i], w.line, w.field, w.msg)
		}
	}
}

func TestALagTopicNeedsLagGroups(t *testing.T) {
	got := problemsOf(t, "version: 1\nstages: [{shape: constant, rate: 1, for: 1s}]\nlag_topic: orders.jobs\n")
	if len(got) != 1 || got[0].Line != 3 || got[0].Field != "lag_topic" || !strings.Contains(got[0].Message, "give lag_groups") {
		t.Fatalf("problems %v; want lag_topic on line 3 asking for lag_groups", got)
	}
}
