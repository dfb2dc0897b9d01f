package ledger

// Keying maps a request's sequence number to its entity and event when a
// run keys its messages by entity: EventsPerKey events to an entity (1 to
// 255), Spacing requests apart (at least 1). The requests come in blocks of
// Spacing entities: their first events, then their second events, and so
// on. With Spacing 1, request k is event k mod N of entity k / N.
type Keying struct {
	EventsPerKey uint64
	Spacing      uint64
}

// Of returns the entity of request seq and its event, from 0.
func (k Keying) Of(seq uint64) (entity, event uint64) {
	block, i := seq/(k.Spacing*k.EventsPerKey), seq%(k.Spacing*k.EventsPerKey)
	return block*k.Spacing + i%k.Spacing, i / k.Spacing
}

// entities is how many entities the requests 0 to ids-1 touch.
func (k Keying) entities(ids uint64) uint64 {
	blocks := (ids + k.Spacing*k.EventsPerKey - 1) / (k.Spacing * k.EventsPerKey)
	return blocks * k.Spacing
}

// Order counts one consumer group's order violations when a run keys its
// messages by entity. A violation is an event that completes after a later
// event of its entity had completed: the order a consumer of the entity's
// partition should keep. Completions are taken in the order they are seen,
// which is the order they were made when an entity's completions share a
// partition of the completions topic (the drill's consumers key a
// completion by its job's key).
//
// It keeps one byte per entity (the highest event completed, plus one), so
// events per key are at most 255. It is not safe for concurrent use: the
// goroutine that reads completions owns it.
type Order struct {
	keying      Keying
	highest     []uint8
	first       int64 // violations by an event's first completion
	redelivered int64 // violations by a completion beyond the first
}

// NewOrder returns an Order for the sequence numbers 0 to ids-1 of the
// whole schedule (every segment's).
func NewOrder(ids uint64, k Keying) *Order {
	return &Order{keying: k, highest: make([]uint8, k.entities(ids))}
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
	entity, event := o.keying.Of(seq)
	if entity >= uint64(len(o.highest)) {
		return false
	}
	if o.highest[entity] > uint8(event)+1 {
		return true
	}
	o.highest[entity] = uint8(event) + 1
	return false
}

// Violations returns the violations by first completions and by
// redeliveries.
func (o *Order) Violations() (first, redelivered int64) { return o.first, o.redelivered }
