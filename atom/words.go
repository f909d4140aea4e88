package atom

import (
	"math/bits"
	"strings"
)

// Eight bytes at a time: tags are matched as words, and JSON strings scanned a word at a time.
// The sums below add to bytes whose high bit is cleared, so that no byte carries into the next.

const (
	lowBytes  = 0x0101010101010101
	highBytes = 0x8080808080808080
	low7Bytes = ^uint64(highBytes)
)

// word returns s[i:i+8] as a little-endian word (the compiler makes it one load).
func word(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// lowerWord lower-cases the ASCII capitals 'A'-'Z' of w (other bytes as they are).
func lowerWord(w uint64) uint64 {
	// of the low seven bits, a byte >= 'A' gets its high bit from the first sum, a byte > 'Z'
	// from the second; bytes with their own high bit set are no capitals
	x := w & low7Bytes
	upper := (x + (0x80-'A')*lowBytes) &^ (x + (0x80-'Z'-1)*lowBytes) &^ w & highBytes
	return w | upper>>2 // 0x80 >> 2 is the case bit 0x20
}

// zeroBytes returns 0x80 in each byte of x that is zero, else 0 (exactly: no borrow between
// bytes).
func zeroBytes(x uint64) uint64 {
	return ^((x&low7Bytes + low7Bytes) | x | low7Bytes)
}

// lessBytes returns 0x80 in each byte of w below n (n <= 0x80), else 0 (exactly).
func lessBytes(w uint64, n byte) uint64 {
	// of the low seven bits, a byte >= n gets its high bit from the sum; bytes with their own
	// high bit set are not below n
	return ^((w&low7Bytes + uint64(0x80-n)*lowBytes) | w) & highBytes
}

// tagWord is a tag as two words masked to its length (at most 16 bytes).
type tagWord struct {
	word, mask [2]uint64
	id         tagID
}

func newTagWord(text string, id tagID) tagWord {
	t := tagWord{id: id}
	for i := 0; i < len(text); i++ {
		t.word[i/8] |= uint64(text[i]) << (8 * (i % 8))
		t.mask[i/8] |= 0xff << (8 * (i % 8))
	}
	return t
}

// foldedTags are the trajectory tags (matched in any case), chatMLTags the ChatML markers
// (matched as written), as words.
var foldedTags, chatMLTags = func() (folded, chatML []tagWord) {
	for id := tagThinkOpen; id <= tagResponseClose; id++ {
		folded = append(folded, newTagWord(tagText[id], id))
	}
	for id := tagIMStart; id <= tagEndOfText; id++ {
		chatML = append(chatML, newTagWord(tagText[id], id))
	}
	return folded, chatML
}()

// classifyWords is classify for s[i] == '<' with at least 16 bytes from i.
func classifyWords(s string, i int) tagID {
	w0, w1 := word(s, i), word(s, i+8)
	tags := foldedTags
	if s[i+1] == '|' {
		tags = chatMLTags
	} else {
		w0, w1 = lowerWord(w0), lowerWord(w1)
	}
	for k := range tags {
		t := &tags[k]
		if w0&t.mask[0] == t.word[0] && w1&t.mask[1] == t.word[1] {
			return t.id
		}
	}
	return tagNone
}

// indexLT returns the index of the first '<' in s at or after from, or -1. The first two words
// are looked at eight bytes at a time (a tag is often close to the last), the rest with a
// byte search.
func indexLT(s string, from int) int {
	i := from
	for range 2 {
		if i+8 > len(s) {
			break
		}
		if m := zeroBytes(word(s, i) ^ '<'*lowBytes); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
		i += 8
	}
	if i >= len(s) {
		return -1
	}
	if j := strings.IndexByte(s[i:], '<'); j >= 0 {
		return i + j
	}
	return -1
}
