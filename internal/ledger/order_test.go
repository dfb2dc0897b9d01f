package ledger

import "testing"

func TestOrderCountsAnEventCompletedAfterALaterOneOfItsEntity(t *testing.T) {
	type completion struct {
		seq         uint64
		redelivered bool
	}
	for _, c := range []struct {
		name                   string
		eventsPerKey           int
		completions            []completion
		first, redeliveredWant int64
	}{
		// Each entity's events in order, entities interleaved: no violation.
		{"in order", 3, []completion{{0, false}, {3, false}, {1, false}, {4, false}, {2, false}, {5, false}}, 0, 0},
		// A consumer that took over redoes event 0 after event 1 was done.
		{"a redelivered earlier event", 3, []completion{{0, false}, {1, false}, {0, true}, {2, false}}, 0, 1},
		// Redoing the latest event again keeps the order: a duplicate only.
		{"the latest redone", 3, []completion{{0, false}, {1, false}, {1, true}, {2, false}}, 0, 0},
		// Event 1 first, then event 0 for the first time: out of order.
		{"a first completion out of order", 3, []completion{{1, false}, {0, false}, {2, false}}, 1, 0},
		// Skipping an event is no violation: order is about what came after.
		{"a gap", 3, []completion{{0, false}, {2, false}}, 0, 0},
		// Every event redone after the last: all but the last are violations.
		{"a whole entity redone", 4, []completion{{0, false}, {1, false}, {2, false}, {3, false},
			{0, true}, {1, true}, {2, true}, {3, true}}, 0, 3},
		// One event per key has no order to break.
		{"one event per key", 1, []completion{{1, false}, {0, false}, {0, true}}, 0, 0},
		// Beyond the schedule: the ledger counts it as unexpected.
		{"beyond the schedule", 3, []completion{{8, false}, {6, false}, {30, false}, {29, false}}, 1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := NewOrder(9, Keying{EventsPerKey: uint64(c.eventsPerKey), Spacing: 1})
			for _, m := range c.completions {
				o.Complete(m.seq, m.redelivered)
			}
			if first, redelivered := o.Violations(); first != c.first || redelivered != c.redeliveredWant {
				t.Errorf("violations %d first, %d redelivered; want %d, %d", first, redelivered, c.first, c.redeliveredWant)
			}
		})
	}
}

// Each group keeps its own order: one group's progress is no other's.
func TestOrderIsPerGroup(t *testing.T) {
	email, index := NewOrder(8, Keying{4, 1}), NewOrder(8, Keying{4, 1})
	email.Complete(1, false)
	index.Complete(0, false)
	index.Complete(1, false)
	email.Complete(0, true)
	if first, redelivered := email.Violations(); first != 0 || redelivered != 1 {
		t.Errorf("email: %d, %d violations, want 0 first, 1 redelivered", first, redelivered)
	}
	if first, redelivered := index.Violations(); first != 0 || redelivered != 0 {
		t.Errorf("index: %d, %d violations, want none", first, redelivered)
	}
}

// A segment of a split run sees its siblings' completions move an entity on
// and counts only its own events that came after.
func TestOrderSeesSiblingsWithoutCountingThem(t *testing.T) {
	o := NewOrder(8, Keying{4, 1})
	o.See(2)             // a sibling's event 2 of entity 0
	o.See(1)             // a sibling's event 1, after it: the sibling's to count
	o.Complete(0, false) // this segment's event 0, after event 2
	o.Complete(3, false) // event 3: in order
	if first, redelivered := o.Violations(); first != 1 || redelivered != 0 {
		t.Errorf("violations %d first, %d redelivered; want 1, 0", first, redelivered)
	}
}

func TestKeyingSpacesAnEntitysEvents(t *testing.T) {
	for _, c := range []struct {
		keying        Keying
		seq           uint64
		entity, event uint64
	}{
		// Spacing 1: an entity's events in a row.
		{Keying{4, 1}, 0, 0, 0},
		{Keying{4, 1}, 3, 0, 3},
		{Keying{4, 1}, 9, 2, 1},
		// Spacing 3, 2 events: entities 0, 1, 2, then 0, 1, 2 again.
		{Keying{2, 3}, 0, 0, 0},
		{Keying{2, 3}, 2, 2, 0},
		{Keying{2, 3}, 3, 0, 1},
		{Keying{2, 3}, 5, 2, 1},
		{Keying{2, 3}, 6, 3, 0}, // the next block
		{Keying{2, 3}, 10, 4, 1},
	} {
		if entity, event := c.keying.Of(c.seq); entity != c.entity || event != c.event {
			t.Errorf("%+v: request %d is event %d of entity %d, want event %d of entity %d", c.keying, c.seq, event, entity, c.event, c.entity)
		}
	}
	// 7 requests at 2 events 3 apart: two blocks, 6 entities.
	if n := (Keying{2, 3}).entities(7); n != 6 {
		t.Errorf("entities(7) = %d, want 6", n)
	}
}

// With spacing, an entity's earlier event redone after its later one is
// still a violation.
func TestOrderWithSpacing(t *testing.T) {
	o := NewOrder(12, Keying{2, 3})
	for _, m := range []struct {
		seq         uint64
		redelivered bool
	}{{0, false}, {1, false}, {3, false}, {4, false}, {1, true}, {0, true}, {3, true}} {
		o.Complete(m.seq, m.redelivered)
	}
	if first, redelivered := o.Violations(); first != 0 || redelivered != 2 {
		t.Errorf("violations %d first, %d redelivered; want 0, 2 (requests 1 and 0 after 4 and 3)", first, redelivered)
	}
}
