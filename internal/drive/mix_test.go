package drive

import (
	"math"
	"testing"
)

// TestMixSharesFollowTheWeights: over many seqs each kind's share is its
// weight's, within five standard deviations of a fair draw, for several seeds.
func TestMixSharesFollowTheWeights(t *testing.T) {
	weights := []int{6, 3, 1}
	const n = 200_000
	for _, seed := range []uint64{1, 42, 1 << 52} {
		m := NewMix(seed, weights)
		counts := make([]int, len(weights))
		for seq := range uint64(n) {
			counts[m.Kind(seq)]++
		}
		for i, w := range weights {
			p := float64(w) / 10
			bound := 5 * math.Sqrt(n*p*(1-p))
			if got := float64(counts[i]); math.Abs(got-n*p) > bound {
				t.Errorf("seed %d: kind %d drawn %d times of %d, want %.0f ± %.0f", seed, i, counts[i], n, n*p, bound)
			}
		}
	}
}

// TestMixIsTheSameForTheSameSeed: the kinds follow from seed and seq alone,
// so that a run repeats and a split run's segments agree; another seed
// draws otherwise.
func TestMixIsTheSameForTheSameSeed(t *testing.T) {
	a, b, other := NewMix(7, []int{1, 1, 1}), NewMix(7, []int{1, 1, 1}), NewMix(8, []int{1, 1, 1})
	differ := 0
	for seq := range uint64(1000) {
		if a.Kind(seq) != b.Kind(seq) {
			t.Fatalf("seq %d: kind %d and %d from the same seed", seq, a.Kind(seq), b.Kind(seq))
		}
		if a.Kind(seq) != other.Kind(seq) {
			differ++
		}
	}
	if differ < 500 {
		t.Errorf("seeds 7 and 8 drew different kinds for %d of 1000 seqs, want about 667", differ)
	}
}

// TestMixOfOneKindIsAlwaysIt: a profile without a mix has one kind.
func TestMixOfOneKindIsAlwaysIt(t *testing.T) {
	for _, m := range []Mix{{}, NewMix(3, nil), NewMix(3, []int{5})} {
		for seq := range uint64(100) {
			if k := m.Kind(seq); k != 0 {
				t.Fatalf("mix %+v: seq %d is kind %d, want 0", m, seq, k)
			}
		}
	}
}

// BenchmarkMixKind: the draw allocates nothing.
func BenchmarkMixKind(b *testing.B) {
	m := NewMix(1, []int{5, 3, 1, 1})
	b.ReportAllocs()
	var seq uint64
	for b.Loop() {
		seq++
		_ = m.Kind(seq)
	}
}
