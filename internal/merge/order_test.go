package merge

import (
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// Each segment counts the order violations of its own ids: the merged run's
// are their sum, and a run without keys has none to show.
func TestMergedOrderViolationsAddUp(t *testing.T) {
	seg := func(first, redelivered int64) *bundle.Async {
		all := first + redelivered
		return &bundle.Async{EventsPerKey: 4, KeySpacing: 50, Groups: map[string]*bundle.Group{"workers": {
			OrderViolations: &all, OrderViolationsFirst: &first, OrderViolationsRedelivered: &redelivered}}}
	}
	a := addAsync(addAsync(nil, seg(1, 5)), seg(0, 7))
	g := a.Groups["workers"]
	if a.EventsPerKey != 4 || a.KeySpacing != 50 || *g.OrderViolations != 13 || *g.OrderViolationsFirst != 1 || *g.OrderViolationsRedelivered != 12 {
		t.Errorf("merged: %d events per key, violations %d (%d first, %d redelivered); want 4, 13 (1, 12)",
			a.EventsPerKey, *g.OrderViolations, *g.OrderViolationsFirst, *g.OrderViolationsRedelivered)
	}
	unkeyed := addAsync(nil, &bundle.Async{Groups: map[string]*bundle.Group{"workers": {}}})
	if g := unkeyed.Groups["workers"]; g.OrderViolations != nil || unkeyed.EventsPerKey != 0 {
		t.Errorf("a run without keys merged into violations %v, %d events per key; want none", g.OrderViolations, unkeyed.EventsPerKey)
	}
}
