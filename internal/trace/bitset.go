package trace

import "math/bits"

// bitset is a fixed-size set of small non-negative integers (holder,
// category or target indexes of a snapshot or a query).
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int32)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }

// or adds every member of o to b; both have the same size.
func (b bitset) or(o bitset) {
	for i, w := range o {
		b[i] |= w
	}
}

// intersects reports whether b and o share a member.
func (b bitset) intersects(o bitset) bool {
	for i, w := range o {
		if b[i]&w != 0 {
			return true
		}
	}
	return false
}

func (b bitset) empty() bool {
	for _, w := range b {
		if w != 0 {
			return false
		}
	}
	return true
}

// each calls fn with every member of b in increasing order.
func (b bitset) each(fn func(i int32)) {
	for wi, w := range b {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			fn(int32(wi*64 + t))
			w &= w - 1
		}
	}
}

// key returns b as a string usable as a map key.
func (b bitset) key() string {
	buf := make([]byte, 8*len(b))
	for i, w := range b {
		for j := range 8 {
			buf[8*i+j] = byte(w >> (8 * j))
		}
	}
	return string(buf)
}
