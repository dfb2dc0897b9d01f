package gate

import (
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

func TestThresholdsReachEachGroupsOrderViolations(t *testing.T) {
	all, first, redelivered := int64(9), int64(0), int64(9)
	s := &bundle.Summary{Schema: bundle.Schema, Async: &bundle.Async{EventsPerKey: 4, Groups: map[string]*bundle.Group{
		"workers": {OrderViolations: &all, OrderViolationsFirst: &first, OrderViolationsRedelivered: &redelivered},
		"audit":   {},
	}}}
	got, err := Check(s, []string{
		"async.groups.workers.order_violations_first == 0",
		"async.groups.workers.order_violations_redelivered >= 1",
		"async.groups.workers.order_violations < 5",
		"async.events_per_key == 4",
		"async.groups.audit.order_violations == 0", // a group that counted none: null, so it fails
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct {
		ok    bool
		value float64
	}{{true, 0}, {true, 9}, {false, 9}, {true, 4}, {false, 0}} { // a failed check's value is not compared
		if got[i].OK != want.ok || (want.ok && got[i].Value != want.value) {
			t.Errorf("%s: ok %v value %v, want ok %v value %v", got[i].Expr, got[i].OK, got[i].Value, want.ok, want.value)
		}
	}
	if _, err := Check(s, []string{"async.groups.workers.order_violation == 0"}); err == nil {
		t.Error("a misspelt figure parsed")
	}
}
