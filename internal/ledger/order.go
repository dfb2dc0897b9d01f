package ledger

// Order counts one consumer group's order violations when a run keys its
// messages by entity with several events per key: request seq k is event
// k mod N of entity k / N. A violation is an event that completes after a
// later event of its entity had completed: the order a consumer of the
// entity's partition should keep. Completions are taken in the order they
// are seen, which is the order they were made when an entity's completions
// share a partition of the completions topic (the drill's consumers key a
// completion by its job's key).
//
// It keeps one byte per entity (the highest event completed, plus one), so
// events per key are at most 255. It is not safe for concurrent use: the
// goroutine that reads completions owns it.
type Order struct {
	eventsPerKey uint64
	highest      []uint8
	first        int64 // violations by an event's first completion
	redelivered  int64 // violations by a completion beyond the first
}

// NewOrder returns an Order for the sequence numbers 0 to ids-1 of the
// whole schedule (every segment's), eventsPerKey (1 to 255) to an entity.
func NewOrder(ids uint64, eventsPerKey int) *Order {
	n := uint64(eventsPerKey)
	return &Order{eventsPerKey: n, highest: make([]uint8, (ids+n-1)/n)}
}

// Complete records a completion of seq and counts it as a violation when a
// later event of its entity had completed before; redelivered says whether
// it repeats a completion of seq. A seq beyond the schedule is ignored: the
// ledger counts it as unexpected.
func (o *Order) Complete(seq uint64, redelivered bool) {
	if o.see(seq) {
		if redelivered {
			o.redelivered++
		} else {
			o.first++
		}
	}
}

// See records a completion of seq that another segment of a split run
// accounts for: it moves its entity's order on, and that segment counts
// whether it broke it.
func (o *Order) See(seq uint64) { o.see(seq) }

// see moves seq's entity on to its event and reports whether a later event
// had completed.
func (o *Order) see(seq uint64) (violation bool) {
	entity := seq / o.eventsPerKey
	if entity >= uint64(len(o.highest)) {
		return false
	}
	event := uint8(seq%o.eventsPerKey) + 1
	if o.highest[entity] > event {
		return true
	}
	o.highest[entity] = event
	return false
}

// Violations returns the violations by first completions and by
// redeliveries.
func (o *Order) Violations() (first, redelivered int64) { return o.first, o.redelivered }
