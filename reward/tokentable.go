package reward

// tokenTable interns tokens as ids 0, 1, ..., ignoring ASCII letter case (tokens are lower
// case but for ASCII letters, which tokenize keeps as written): their texts with ASCII letters
// lower-cased, back to back, and an open-addressing index whose slots hold each token's hash
// beside its id, so a lookup compares texts only when the hashes agree.
type tokenTable struct {
	text   []byte
	ends   []int32  // id -> end of its text in text (it starts where the previous one ends)
	hashes []uint32 // id -> tokenHash of its text
	slots  []uint64 // hash<<32 | id+1; 0: empty
	mask   uint32
}

// tokenHash hashes t ignoring ASCII letter case: eight bytes at a time, ASCII capitals
// lower-cased, mixed by a multiplication.
func tokenHash(t string) uint32 {
	h := uint64(len(t)) * hashMul
	i := 0
	for ; i+8 <= len(t); i += 8 {
		h = mixWord(h, word(t, i))
	}
	if i < len(t) {
		var w uint64
		for k := i; k < len(t); k++ {
			w |= uint64(t[k]) << (8 * (k - i))
		}
		h = mixWord(h, w)
	}
	return uint32(h ^ h>>32)
}

// hashMul is the odd multiplier of tokenHash (2^64 over the golden ratio).
const hashMul = 0x9e3779b97f4a7c15

// mixWord mixes the word w (ASCII capitals lower-cased here) into the hash h.
func mixWord(h, w uint64) uint64 {
	h = (h ^ (w | upperBytes(w)>>2)) * hashMul
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

// reset empties the table and sizes it for n tokens of size bytes in all, reusing its memory
// when large enough and clearing only the slots it will use.
func (tt *tokenTable) reset(n, size int) {
	if cap(tt.text) < size {
		tt.text = make([]byte, 0, size)
	}
	if cap(tt.ends) < n {
		tt.ends, tt.hashes = make([]int32, 0, n), make([]uint32, 0, n)
	}
	tt.text, tt.ends, tt.hashes = tt.text[:0], tt.ends[:0], tt.hashes[:0]
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
func (tt *tokenTable) len() int { return len(tt.ends) }

// token returns the lower-cased text of id.
func (tt *tokenTable) token(id int32) []byte {
	start := int32(0)
	if id > 0 {
		start = tt.ends[id-1]
	}
	return tt.text[start:tt.ends[id]]
}

// find returns the id of t (any ASCII case), whose tokenHash is h, or -1.
func (tt *tokenTable) find(h uint32, t string) int32 {
	for i := h & tt.mask; ; i = (i + 1) & tt.mask {
		s := tt.slots[i]
		if s == 0 {
			return -1
		}
		if uint32(s>>32) == h {
			if id := int32(uint32(s)) - 1; equalLowered(tt.token(id), t) {
				return id
			}
		}
	}
}

// intern returns the id of t, adding it when it is new.
func (tt *tokenTable) intern(t string) int32 {
	return tt.internHash(tokenHash(t), t)
}

// internHash is intern for a t whose tokenHash is h.
func (tt *tokenTable) internHash(h uint32, t string) int32 {
	if id := tt.find(h, t); id >= 0 {
		return id
	}
	id := int32(len(tt.ends))
	tt.text = appendLowerASCII(tt.text, t)
	tt.ends = append(tt.ends, int32(len(tt.text)))
	tt.hashes = append(tt.hashes, h)
	if 2*len(tt.ends) > len(tt.slots) {
		tt.rehash()
	} else {
		tt.insert(h, id)
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
	size := tableSize(len(tt.ends))
	tt.slots, tt.mask = make([]uint64, size), uint32(size-1)
	for id := range int32(len(tt.ends)) {
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
		if w|upperBytes(w)>>2 != l {
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

// appendASCIITokens is appendTokens(dst, s, nil) appending each token's tokenHash to hashes
// in the same pass, for an ASCII s: it returns false at the first non-ASCII byte.
func appendASCIITokens(dst []string, hashes []uint32, s string) ([]string, []uint32, bool) {
	for i := 0; i < len(s); {
		for i < len(s) && byteClass[s[i]] == classSeparator {
			i++
		}
		start := i
		for i < len(s) && byteClass[s[i]] == classToken {
			i++
		}
		if i < len(s) && byteClass[s[i]] == classNonASCII {
			return dst, hashes, false
		}
		if i == start {
			continue
		}
		h := uint64(i-start) * hashMul
		k := start
		for ; k+8 <= i; k += 8 {
			h = mixWord(h, word(s, k))
		}
		if k < i {
			var w uint64
			if k+8 <= len(s) {
				w = word(s, k) & (1<<(8*(i-k)) - 1) // the token's last bytes, from a whole word
			} else {
				for j := k; j < i; j++ {
					w |= uint64(s[j]) << (8 * (j - k))
				}
			}
			h = mixWord(h, w)
		}
		dst = append(dst, s[start:i])
		hashes = append(hashes, uint32(h^h>>32))
	}
	return dst, hashes, true
}
