package dataset

import (
	"fmt"

	"github.com/loadchaos/loadgen/internal/seeded"
)

// Order is how a request's row is chosen. Each is a function of the run's
// seed and the request's position in the whole schedule, never of state
// shared between senders: rows are chosen without locks or allocation, and
// the segments of a split run choose as one generator would.
type Order uint8

const (
	// Sequential takes the rows in file order, from the first again after
	// the last: request k gets row k mod rows.
	Sequential Order = iota
	// Random takes a row drawn from the seed and the request's position:
	// the same seed draws the same rows.
	Random
	// Once takes the rows in file order and never wraps: a run that
	// schedules more requests than the file has rows is refused before it
	// starts (see internal/run).
	Once
)

// Orders are the names ParseOrder accepts, the default first.
var Orders = []string{"sequential", "random", "once"}

func (o Order) String() string { return Orders[o] }

// ParseOrder reads an order by name.
func ParseOrder(name string) (Order, error) {
	for i, n := range Orders {
		if n == name {
			return Order(i), nil
		}
	}
	return 0, fmt.Errorf("%q is not sequential, random or once", name)
}

// Row is the row of request seq in a run of seed.
func (t *Table) Row(o Order, seed, seq uint64) int {
	rows := uint64(t.Rows())
	if o == Random {
		return int(seeded.Below(seed, seq, rows))
	}
	return int(seq % rows)
}
