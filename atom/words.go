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

// str8 returns the first eight bytes of text as a little-endian word (zero-padded), for the
// constants of classifyWords.
func str8(text string) uint64 {
	var w uint64
	for i := 0; i < len(text) && i < 8; i++ {
		w |= uint64(text[i]) << (8 * i)
	}
	return w
}

// The tags as words: the first eight bytes (lower case), the rest (zero-padded) and its mask.
var (
	wThink, wThinkClose            = str8("<think>"), str8("</think>")
	wAnswer, wAnswerClose          = str8("<answer>"), str8("</answer")
	wCall, wCallRest               = str8("<tool_ca"), str8("ll>")
	wCallClose, wCallCloseRest     = str8("</tool_c"), str8("all>")
	wResponse, wResponseRest       = str8("<tool_re"), str8("sponse>")
	wResponseClose, wResponseCRest = str8("</tool_r"), str8("esponse>")
	wIMStart, wIMStartRest         = str8("<|im_sta"), str8("rt|>")
	wIMEnd, wIMEndRest             = str8("<|im_end"), str8("|>")
	wEndOfText, wEndOfTextRest     = str8("<|endoft"), str8("ext|>")
)

// low returns the mask of the n low bytes of a word.
func low(n int) uint64 { return 1<<(8*n) - 1 }

// classifyWords is classify for s[i] == '<' with at least 16 bytes from i: the first two
// words compared with the tags that their second byte allows.
func classifyWords(s string, i int) tagID {
	w0, w1 := word(s, i), word(s, i+8)
	switch byte(w0>>8) | 0x20 {
	case 't':
		l0 := lowerWord(w0)
		switch {
		case l0&low(7) == wThink:
			return tagThinkOpen
		case l0 == wCall && lowerWord(w1)&low(3) == wCallRest:
			return tagCallOpen
		case l0 == wResponse && lowerWord(w1)&low(7) == wResponseRest:
			return tagResponseOpen
		}
	case 'a':
		if lowerWord(w0) == wAnswer {
			return tagAnswerOpen
		}
	case '/':
		switch l0 := lowerWord(w0); {
		case l0 == wThinkClose:
			return tagThinkClose
		case l0 == wAnswerClose && byte(w1) == '>':
			return tagAnswerClose
		case l0 == wCallClose && lowerWord(w1)&low(4) == wCallCloseRest:
			return tagCallClose
		case l0 == wResponseClose && lowerWord(w1) == wResponseCRest:
			return tagResponseClose
		}
	case '|': // the ChatML markers match as written
		switch {
		case w0 == wIMStart && w1&low(4) == wIMStartRest:
			return tagIMStart
		case w0 == wIMEnd && w1&low(2) == wIMEndRest:
			return tagIMEnd
		case w0 == wEndOfText && w1&low(5) == wEndOfTextRest:
			return tagEndOfText
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
