package drive

import "math/bits"

// Mix draws the kind of each request of a run from its weights. The draw is
// a hash of the run's seed and the request's Seq mapped onto the
// cumulative weights, not a shared random source: it takes no lock and
// allocates nothing, a run with the same seed sends the same kinds, and
// each generator of a split run, numbering its requests by the whole
// schedule, sends the kinds the whole run would.
type Mix struct {
	seed       uint64
	cumulative []uint64 // the weights' running sums; the last is their total
}

// NewMix draws among len(weights) kinds, kind i with probability
// weights[i] / sum(weights). Weights are at least 1; nil or one weight
// gives a mix whose every request is kind 0.
func NewMix(seed uint64, weights []int) Mix {
	m := Mix{seed: seed, cumulative: make([]uint64, len(weights))}
	var sum uint64
	for i, w := range weights {
		sum += uint64(max(w, 1))
		m.cumulative[i] = sum
	}
	return m
}

// Kind is the kind of request seq: an index into the weights.
func (m Mix) Kind(seq uint64) int {
	if len(m.cumulative) <= 1 {
		return 0
	}
	// r is uniform in [0, total): the high word of a 64-bit hash times total.
	r, _ := bits.Mul64(mix64(m.seed^mix64(seq)), m.cumulative[len(m.cumulative)-1])
	lo, hi := 0, len(m.cumulative)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if r < m.cumulative[mid] {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// mix64 is SplitMix64's finalizer: each bit of x changes about half of the
// result's bits, so consecutive seqs draw independently.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
