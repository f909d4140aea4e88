package reward

// Eight bytes at a time: the loops over ASCII text (lower-casing, finding what needs it) read a
// word and test its bytes together. The sums below add to bytes whose high bit is cleared, so
// that adding to one never carries into the next.

const (
	lowBytes  = 0x0101010101010101
	highBytes = 0x8080808080808080
)

// word returns s[i:i+8] as a little-endian word (the compiler makes it one load).
func word(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// upperBytes returns 0x80 in each byte of w that is a capital 'A'-'Z', else 0.
func upperBytes(w uint64) uint64 { return rangeBytes(w, 'A', 'Z') }

// lowerWord returns w with its ASCII capitals lower-cased (0x80 >> 2 is the case bit 0x20).
func lowerWord(w uint64) uint64 { return w | upperBytes(w)>>2 }

// rangeBytes returns 0x80 in each byte of w in [lo, hi] (hi < 0x80), else 0.
func rangeBytes(w uint64, lo, hi byte) uint64 {
	// of the low seven bits, a byte >= lo gets its high bit from the first sum, a byte > hi
	// from the second; bytes with their own high bit set are out of range
	x := w &^ highBytes
	return (x + uint64(0x80-lo)*lowBytes) &^ (x + uint64(0x80-hi-1)*lowBytes) &^ w & highBytes
}

// asciiLowerPrefix returns the length of the longest prefix of s that is ASCII without a
// capital letter, that is, that lower-casing leaves as it is.
func asciiLowerPrefix(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if w := word(s, i); w&highBytes != 0 || upperBytes(w) != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c-'A' < 26 {
			break
		}
	}
	return i
}

// asciiPrefix returns the length of the longest ASCII prefix of s.
func asciiPrefix(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if word(s, i)&highBytes != 0 {
			break
		}
	}
	for ; i < len(s) && s[i] < 0x80; i++ {
	}
	return i
}

// appendLowerASCII appends s to dst with its ASCII capitals lower-cased (other bytes as they
// are).
func appendLowerASCII(dst []byte, s string) []byte {
	n := len(dst)
	dst = append(dst, s...)
	b := dst[n:]
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := uint64(b[i]) | uint64(b[i+1])<<8 | uint64(b[i+2])<<16 | uint64(b[i+3])<<24 |
			uint64(b[i+4])<<32 | uint64(b[i+5])<<40 | uint64(b[i+6])<<48 | uint64(b[i+7])<<56
		w = lowerWord(w)
		b[i], b[i+1], b[i+2], b[i+3] = byte(w), byte(w>>8), byte(w>>16), byte(w>>24)
		b[i+4], b[i+5], b[i+6], b[i+7] = byte(w>>32), byte(w>>40), byte(w>>48), byte(w>>56)
	}
	for ; i < len(b); i++ {
		if c := b[i]; c-'A' < 26 {
			b[i] = c + 'a' - 'A'
		}
	}
	return dst
}

// byteMask returns 0x80 in each byte of w equal to c, else 0 (exactly: no borrow between bytes).
func byteMask(w uint64, c byte) uint64 {
	const low7 = ^uint64(highBytes)
	x := w ^ (uint64(c) * lowBytes)
	// a byte of x is zero when its low seven bits do not carry into the high bit and that bit
	// is clear too
	return ^((x&low7 + low7) | x | low7)
}
