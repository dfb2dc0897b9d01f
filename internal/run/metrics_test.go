package run

import (
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
	"github.com/loadchaos/loadgen/internal/ledger"
)

func TestAGroupsLostAndDuplicatedMessagesAreCounted(t *testing.T) {
	g := &group{name: "output", ledger: ledger.New(8)}
	c := &completions{groups: []*group{g}}
	s := &session{comps: c, paths: []*path{{name: "sync", collector: hist.NewCollector(time.Now(), hist.Config{})}}}
	s.metrics = newMetrics()
	s.metrics.register(s)
	for seq := range uint64(3) {
		g.ledger.Accept(seq)
	}
	g.ledger.Complete(0)
	g.ledger.Complete(0)
	output := map[string]string{"group": "output"}
	if lost := sumOf(familyOf(t, s.metrics, "loadgen_messages_lost_total"), output); lost != 0 {
		t.Errorf("%v lost before the drain, want 0: what is awaited may still come", lost)
	}
	if dups := sumOf(familyOf(t, s.metrics, "loadgen_completions_duplicates_total"), output); dups != 1 {
		t.Errorf("%v duplicates, want 1", dups)
	}
	c.summarize(&bundle.Async{}, true)
	if lost := sumOf(familyOf(t, s.metrics, "loadgen_messages_lost_total"), output); lost != 2 {
		t.Errorf("%v lost once the drain ran its course, want 2", lost)
	}
}
