package dataset

import (
	"fmt"
	"math/bits"
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
		hi, _ := bits.Mul64(Mix(seed^Mix(seq)), rows) // biased by at most rows/2^64
		return int(hi)
	}
	return int(seq % rows)
}

// Mix is splitmix64's finalizer: a bijection of 64 bits whose every output
// bit depends on every input bit.
func Mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
