package reward

// compatTag returns the index in compatTags of the tag s starts with (ignoring ASCII case), or
// -1. With 16 bytes or more to look at, it compares words: the bytes after the '<' (and '/')
// pick the one or two tags s can start with, and the first two words of s are compared with
// each one's (compatWord.matches).
func compatTag(s string) int {
	if len(s) < 16 {
		return compatTagShort(s)
	}
	w0, w1 := word(s, 0), word(s, 8)
	is := func(i int) bool { return compatWords[i].matches(w0, w1) }
	c1, c2 := byte(w0>>8)|0x20, byte(w0>>16)|0x20 // ASCII letters in lower case (others are checked by is)
	k := 0                                        // 1 for an end tag: compatTags alternate start and end
	if c1 == '/' {
		k, c1, c2 = 1, c2, byte(w0>>24)|0x20
	}
	switch {
	case c1 == 't' && c2 == 'h' && (is(2+k) || is(6+k)):
		return 2 + k
	case c1 == 't' && c2 == 'o' && is(k):
		return k
	case c1 == 'a' && is(4+k):
		return 4 + k
	}
	return -1
}

// compatWord is a tag as two words masked to its length (at most 16 bytes), for compatTag.
type compatWord struct {
	// word is the tag's text, mask covers its bytes, fold has the case bit 0x20 in its letters'
	word, mask, fold [2]uint64
	tag              int
}

// matches reports whether the text whose first two words are w0 and w1 starts with the tag,
// ignoring ASCII case: setting the case bit of the tag's letters' bytes maps exactly their
// two cases to the tag's lower-case letter, and the other bytes must be equal.
func (t *compatWord) matches(w0, w1 uint64) bool {
	return (w0|t.fold[0])&t.mask[0] == t.word[0] && (w1|t.fold[1])&t.mask[1] == t.word[1]
}

// compatWords are compatTags and kelvinThink as words, in that order (compatTag picks them by
// index).
var compatWords = func() []compatWord {
	var out []compatWord
	add := func(text string, tag int) {
		var t compatWord
		for i := 0; i < len(text); i++ {
			t.word[i/8] |= uint64(text[i]) << (8 * (i % 8))
			t.mask[i/8] |= 0xff << (8 * (i % 8))
			if 'a' <= text[i] && text[i] <= 'z' {
				t.fold[i/8] |= 0x20 << (8 * (i % 8))
			}
		}
		t.tag = tag
		out = append(out, t)
	}
	for i, text := range compatTags {
		add(text, i)
	}
	for i, text := range kelvinThink {
		add(text, 2+i)
	}
	return out
}()

// compatTagShort is compatTag for any s.
func compatTagShort(s string) int {
	if len(s) < len("<think>") {
		return -1
	}
	k := 0
	c := s[1]
	if c == '/' {
		k, c = 1, s[2]
	}
	switch c | 0x20 {
	case 't':
		if hasPrefixFold(s, compatTags[k]) {
			return k
		}
		if hasPrefixFold(s, compatTags[2+k]) || hasPrefixFold(s, kelvinThink[k]) {
			return 2 + k
		}
	case 'a':
		if hasPrefixFold(s, compatTags[4+k]) {
			return 4 + k
		}
	}
	return -1
}

// kelvinThink are the think tags written with the Kelvin sign, which Python lower-cases to 'k'.
var kelvinThink = [2]string{"<thin\u212a>", "</thin\u212a>"}

// compatTags are the tags DeepResearcher balances, start then end.
var compatTags = [...]string{"<tool_call>", "</tool_call>", "<think>", "</think>", "<answer>", "</answer>"}

// hasPrefixFold reports whether s starts with the lower-case ASCII prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && equalFoldASCII(s[:len(prefix)], prefix)
}
