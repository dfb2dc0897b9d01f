package ledger

import (
	"math/bits"
	"sync/atomic"
)

// Ledger records which sequence numbers of a run were accepted and which
// were completed, one bit per sequence number in each of two bitsets, and
// counts what the bitsets cannot hold: repeated completions, completions of
// ids of other runs, and sequence numbers beyond the capacity.
//
// Keep one Ledger per consumer group: every group must complete every
// accepted id, so each group is accounted on its own.
//
// Every method is safe for concurrent use and takes no lock: a bit is set by
// an atomic OR on its 64-bit word. Many workers may Accept while the
// completions reader calls Complete and a sampler calls Counts.
type Ledger struct {
	capacity   uint64
	accepted   []atomic.Uint64
	completed  []atomic.Uint64
	untracked  atomic.Int64 // accepts of a seq >= capacity
	duplicates atomic.Int64 // completions beyond the first of an id
	foreign    atomic.Int64 // completions whose id is not of this run
	outOfRange atomic.Int64 // completions of a seq >= capacity
}

// Counts is what a ledger holds at one moment. An id accepted and not
// completed is Pending while it may still complete, and Lost only once a
// drain that ran its course has ended without it (see Final): a drain cut
// short proves nothing lost.
type Counts struct {
	Accepted  int64 // distinct ids accepted, seq < capacity
	Completed int64 // distinct ids completed, seq < capacity, accepted or not
	// CompletedAfterRejection: ids of this run completed but never
	// accepted. The target answered them with an error (a 503 when its
	// produce timed out) and the message was delivered anyway: honest
	// at-least-once behaviour, not a fault, so it is kept out of Unexpected.
	CompletedAfterRejection int64
	Pending                 int64 // accepted, not completed, still awaited
	Lost                    int64 // accepted, never completed by the end of a drain that ran its course
	Duplicates              int64 // completions beyond the first of an id
	Unexpected              int64 // completions of foreign ids and of a seq >= capacity: ids this run never sent
	Untracked               int64 // accepts of a seq >= capacity: the ledger was sized too small and these ids go unaccounted
}

// New returns a ledger for the sequence numbers 0 to capacity-1, where
// capacity is the number of requests the run schedules. It allocates two
// bits per sequence number: 3 MB for 12 million.
func New(capacity uint64) *Ledger {
	words := (capacity + 63) / 64
	return &Ledger{
		capacity:  capacity,
		accepted:  make([]atomic.Uint64, words),
		completed: make([]atomic.Uint64, words),
	}
}

// Accept records that the target accepted the request seq. Accepting a seq
// again changes nothing. A seq >= capacity cannot be recorded: it is
// counted as Untracked rather than stopping the run.
func (l *Ledger) Accept(seq uint64) {
	if seq >= l.capacity {
		l.untracked.Add(1)
		return
	}
	l.accepted[seq/64].Or(1 << (seq % 64))
}

// Complete records that a consumer completed the request seq, whether or not
// its acceptance has been recorded yet: a consumer may finish before the
// generator sees the 202. It reports whether this is the first completion of
// seq: false for a duplicate, and false for a seq >= capacity, which is
// counted as unexpected. A seq never accepted is counted in
// CompletedAfterRejection by Counts.
func (l *Ledger) Complete(seq uint64) (first bool) {
	if seq >= l.capacity {
		l.outOfRange.Add(1)
		return false
	}
	bit := uint64(1) << (seq % 64)
	if l.completed[seq/64].Or(bit)&bit != 0 {
		l.duplicates.Add(1)
		return false
	}
	return true
}

// Duplicates is Counts().Duplicates without walking the bitsets: cheap
// enough for a metrics scrape.
func (l *Ledger) Duplicates() int64 { return l.duplicates.Load() }

// Foreign counts a completion whose id is not of this run (see ParseID).
func (l *Ledger) Foreign() { l.foreign.Add(1) }

// Counts walks the bitsets; what is not yet completed is Pending. Whether
// an accepted id is also completed is decided only here, never in Complete,
// because the completion may be recorded before the acceptance.
//
// Under concurrent updates the result is not a snapshot. Each word of
// completions is read before the matching word of acceptances, so an id
// accepted and completed meanwhile shows as not yet completed (Lost) rather
// than as completed without being accepted (CompletedAfterRejection).
func (l *Ledger) Counts() Counts {
	var c Counts
	for i := range l.accepted {
		done := l.completed[i].Load()
		acc := l.accepted[i].Load()
		c.Accepted += int64(bits.OnesCount64(acc))
		c.Completed += int64(bits.OnesCount64(done))
		c.Pending += int64(bits.OnesCount64(acc &^ done))
		c.CompletedAfterRejection += int64(bits.OnesCount64(done &^ acc))
	}
	c.Duplicates = l.duplicates.Load()
	c.Unexpected = l.foreign.Load() + l.outOfRange.Load()
	c.Untracked = l.untracked.Load()
	return c
}

// Final is Counts once the run is over. drained says whether the drain ran
// its course (every id completed, or its bound passed): then what is still
// awaited is Lost. Otherwise (the drain was interrupted) it stays Pending.
func (l *Ledger) Final(drained bool) Counts {
	c := l.Counts()
	if drained {
		c.Lost, c.Pending = c.Pending, 0
	}
	return c
}

// Pending returns how many accepted ids have not completed yet: the drain
// waits for it to reach 0. It walks the bitsets like Counts.
func (l *Ledger) Pending() int64 {
	var n int64
	for i := range l.accepted {
		done := l.completed[i].Load()
		n += int64(bits.OnesCount64(l.accepted[i].Load() &^ done))
	}
	return n
}
