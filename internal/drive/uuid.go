package drive

import "github.com/loadchaos/loadgen/internal/seeded"

// appendUUID appends a version 4 UUID for request r of a run of seed,
// derived rather than drawn so that it needs no shared state and the same
// seed sends the same UUIDs. Its 122 free bits: the low 62 are a bijection
// of the request's position, so no two requests of one path share a UUID;
// the high 60 hash the seed and the request's id, which holds the run id
// and the path, so that runs and paths differ. It is not unguessable: not
// for secrets.
func appendUUID(dst []byte, seed uint64, r *Request) []byte {
	hi := seeded.Hash(seed ^ fnv64(r.ID))
	hi = hi&^(0xf<<12) | 0x4<<12 // version 4
	lo := permute62(r.Seq, seed)
	lo |= 0x2 << 62 // variant 10
	var b [36]byte
	hex := func(at int, v uint64, digits int) {
		for i := digits - 1; i >= 0; i-- {
			b[at+i] = "0123456789abcdef"[v&0xf]
			v >>= 4
		}
	}
	hex(0, hi>>32, 8)
	hex(9, hi>>16, 4)
	hex(14, hi, 4)
	hex(19, lo>>48, 4)
	hex(24, lo, 12)
	b[8], b[13], b[18], b[23] = '-', '-', '-', '-'
	return append(dst, b[:]...)
}

// permute62 is a bijection of the low 62 bits of x, keyed: each step (add,
// xor with a right shift, multiply by an odd number, all modulo 2^62) is
// one.
func permute62(x, key uint64) uint64 {
	const mask = 1<<62 - 1
	x = (x + key) & mask
	x ^= x >> 31
	x = x * 0xbf58476d1ce4e5b9 & mask
	x ^= x >> 29
	x = x * 0x94d049bb133111eb & mask
	return x ^ x>>32
}

// fnv64 is FNV-1a of s.
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := range len(s) {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}
