// Package seeded draws a run's random choices from its seed and a
// request's place in the schedule instead of from shared random state: a
// draw takes no lock and allocates nothing, the same seed draws the same,
// and each generator of a split run, numbering its requests by the whole
// schedule, draws what the whole run would.
package seeded

import "math/bits"

// Hash is splitmix64's finalizer of x: a bijection of 64 bits whose every
// output bit depends on every input bit, so neighbouring inputs hash apart.
func Hash(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// Below is a draw from [0, n) for seq in a run of seed, n at least 1: the
// high word of a 64-bit hash times n, biased by at most n / 2^64.
func Below(seed, seq, n uint64) uint64 {
	hi, _ := bits.Mul64(Hash(seed^Hash(seq)), n)
	return hi
}
