package reward

import (
	"math/bits"
	"unicode"
	"unicode/utf8"
)

// tokenTable interns tokens as ids 0, 1, ..., ignoring ASCII letter case (tokens are lower
// case but for ASCII letters, which tokenize keeps as written): each token's head word and
// length, the bytes after the head of those longer than eight bytes (tails) with ASCII letters
// lower-cased, back to back, and an open-addressing index whose slots hold each token's hash
// beside its id. A lookup compares a token's key (hash and head word) and length with the
// slot's first and then, for a token longer than eight bytes, its tail.
type tokenTable struct {
	tails   []byte
	entries []tokenEntry // by id
	hashes  []uint32     // id -> its tokenKey hash
	slots   []uint64     // hash<<32 | id+1; 0: empty
	mask    uint32
}

// tokenEntry is an interned token: its head word (tokenKey.head), length, and where its tail
// starts in tokenTable.tails (it is len-8 bytes long).
type tokenEntry struct {
	head      uint64
	tail, len int32
}

// tokenKey is what a lookup of a token compares first: its hash, and its head, the first
// eight bytes (fewer: zero-padded) as a little-endian word with ASCII capitals lower-cased.
// Two tokens of at most eight bytes are equal ignoring ASCII case exactly when their heads and
// lengths are.
type tokenKey struct {
	head uint64
	hash uint32
}

// tokenKeyOf returns t's tokenKey: eight bytes at a time, ASCII capitals lower-cased, mixed by
// a multiplication (keyOfSpan).
func tokenKeyOf(t string) tokenKey { return keyOfSpan(t, 0, len(t)) }

// hashMul is the odd multiplier of the token hash (2^64 over the golden ratio).
const hashMul = 0x9e3779b97f4a7c15

// mixLowered mixes the word w, ASCII capitals lower-cased already, into the hash h.
func mixLowered(h, w uint64) uint64 {
	h = (h ^ w) * hashMul
	return h ^ h>>29
}

// tableSize is the power-of-two slot count that keeps n tokens at most half full.
func tableSize(n int) int {
	size := 8
	for size < 2*n {
		size *= 2
	}
	return size
}

// reset empties the table and sizes it for n tokens, reusing its memory when large enough and
// clearing only the slots it will use.
func (tt *tokenTable) reset(n int) {
	if cap(tt.entries) < n {
		tt.entries, tt.hashes = make([]tokenEntry, 0, n), make([]uint32, 0, n)
	}
	tt.tails, tt.entries, tt.hashes = tt.tails[:0], tt.entries[:0], tt.hashes[:0]
	tt.resetSlots(n)
}

// resetSlots empties the slots and sizes them for n tokens.
func (tt *tokenTable) resetSlots(n int) {
	size := tableSize(n)
	if cap(tt.slots) < size {
		tt.slots = make([]uint64, size)
	} else {
		tt.slots = tt.slots[:size]
		clear(tt.slots)
	}
	tt.mask = uint32(size - 1)
}

// len is the number of tokens interned.
func (tt *tokenTable) len() int { return len(tt.entries) }

// find returns the id of t (any ASCII case), whose key is k, or -1.
func (tt *tokenTable) find(k tokenKey, t string) int32 {
	for i := k.hash & tt.mask; ; i = (i + 1) & tt.mask {
		s := tt.slots[i]
		if s == 0 {
			return -1
		}
		if uint32(s>>32) != k.hash {
			continue
		}
		id := int32(uint32(s)) - 1
		if e := &tt.entries[id]; e.head == k.head && int(e.len) == len(t) &&
			(len(t) <= 8 || equalLowered(tt.tails[e.tail:e.tail+e.len-8], t[8:])) {
			return id
		}
	}
}

// intern returns the id of t, adding it when it is new.
func (tt *tokenTable) intern(t string) int32 {
	return tt.internKey(tokenKeyOf(t), t)
}

// internKey is intern for a t whose key is k.
func (tt *tokenTable) internKey(k tokenKey, t string) int32 {
	if id := tt.find(k, t); id >= 0 {
		return id
	}
	id := int32(len(tt.entries))
	tail := len(tt.tails)
	if len(t) > 8 {
		tt.tails = appendLowerASCII(tt.tails, t[8:])
	}
	tt.entries = append(tt.entries, tokenEntry{head: k.head, tail: int32(tail), len: int32(len(t))})
	tt.hashes = append(tt.hashes, k.hash)
	if 2*len(tt.entries) > len(tt.slots) {
		tt.rehash()
	} else {
		tt.insert(k.hash, id)
	}
	return id
}

// insert puts id with hash h in a free slot (the table has room).
func (tt *tokenTable) insert(h uint32, id int32) {
	i := h & tt.mask
	for tt.slots[i] != 0 {
		i = (i + 1) & tt.mask
	}
	tt.slots[i] = uint64(h)<<32 | uint64(id+1)
}

// rehash doubles the slots and puts every token back.
func (tt *tokenTable) rehash() {
	size := tableSize(len(tt.entries))
	tt.slots, tt.mask = make([]uint64, size), uint32(size-1)
	for id := range int32(len(tt.entries)) {
		tt.insert(tt.hashes[id], id)
	}
}

// equalLowered reports whether t with its ASCII letters lower-cased is low.
func equalLowered(low []byte, t string) bool {
	if len(low) != len(t) {
		return false
	}
	i := 0
	for ; i+8 <= len(t); i += 8 {
		w := word(t, i)
		l := uint64(low[i]) | uint64(low[i+1])<<8 | uint64(low[i+2])<<16 | uint64(low[i+3])<<24 |
			uint64(low[i+4])<<32 | uint64(low[i+5])<<40 | uint64(low[i+6])<<48 | uint64(low[i+7])<<56
		if lowerWord(w) != l {
			return false
		}
	}
	for ; i < len(t); i++ {
		c := t[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != low[i] {
			return false
		}
	}
	return true
}

// appendPlainTokens is appendTokens(dst, s, nil) appending each token's tokenKey to keys in
// the same pass, for a text whose non-ASCII runes are their own lower case (so that every token
// is cut from s as written, with no lower-casing to do beyond ASCII letters, which keys
// ignore): it returns false at the first rune that lower-casing would change (an invalid byte
// included), and the caller starts over with appendTokens. Runs of ASCII letters and digits
// are crossed eight bytes at a time.
func appendPlainTokens(dst []string, keys []tokenKey, s string) ([]string, []tokenKey, bool) {
	for i := 0; i < len(s); {
		// separators: ASCII ones and Python's non-ASCII white space
		for i < len(s) {
			if c := s[i]; c < utf8.RuneSelf {
				if byteClass[c] != classSeparator {
					break
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if !isNonASCIISpace(r) {
				break
			}
			i += size
		}
		if i == len(s) {
			break
		}
		start := i
		for i < len(s) {
			if i+8 <= len(s) {
				if m := ^alnumBytes(word(s, i)) & highBytes; m == 0 {
					i += 8
					continue
				} else {
					i += bits.TrailingZeros64(m) / 8
				}
			}
			c := s[i]
			if c < utf8.RuneSelf {
				if byteClass[c] == classSeparator {
					break
				}
				i++ // a letter or digit near the end, or a control byte
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if isNonASCIISpace(r) {
				break
			}
			if !lowerItself(r, size) {
				return dst, keys, false
			}
			i += size
		}
		dst = append(dst, s[start:i])
		keys = append(keys, keyOfSpan(s, start, i))
	}
	return dst, keys, true
}

// keyOfSpan is tokenKeyOf(s[start:end]), reading whole words of s past end where s has them.
func keyOfSpan(s string, start, end int) tokenKey {
	h := uint64(end-start) * hashMul
	var head uint64
	for k := start; k < end; k += 8 {
		var w uint64
		switch {
		case k+8 <= end:
			w = word(s, k)
		case k+8 <= len(s):
			w = word(s, k) & (1<<(8*(end-k)) - 1) // the token's last bytes, from a whole word
		default:
			for j := k; j < end; j++ {
				w |= uint64(s[j]) << (8 * (j - k))
			}
		}
		w = lowerWord(w)
		if k == start {
			head = w
		}
		h = mixLowered(h, w)
	}
	return tokenKey{head: head, hash: uint32(h ^ h>>32)}
}

// isNonASCIISpace is isPythonSpace for a non-ASCII r, answering the common runes (below
// U+1680 but two) without a table search.
func isNonASCIISpace(r rune) bool {
	return r == 0x85 || r == 0xa0 || r >= 0x1680 && unicode.IsSpace(r)
}

// alnumBytes returns 0x80 in each byte of w that is an ASCII letter or digit, else 0.
func alnumBytes(w uint64) uint64 {
	return rangeBytes(w, '0', '9') | rangeBytes(w|0x20*lowBytes, 'a', 'z')
}
