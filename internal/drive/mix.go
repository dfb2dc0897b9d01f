package drive

import "github.com/loadchaos/loadgen/internal/seeded"

// Mix draws the kind of each request of a run from its weights: a draw of
// package seeded, from the run's seed and the request's Seq, mapped onto
// the cumulative weights.
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
	r := seeded.Below(m.seed, seq, m.cumulative[len(m.cumulative)-1])
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
