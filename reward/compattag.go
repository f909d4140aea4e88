package reward

// compatTag returns the index in compatTags of the tag s starts with (ignoring ASCII case), or
// -1. With 16 bytes or more to look at, it compares words: the first two of s, ASCII letters
// lower-cased, with each tag's, masked to its length.
func compatTag(s string) int {
	if len(s) < 16 {
		return compatTagShort(s)
	}
	if c := s[1] | 0x20; c != '/'|0x20 && c != 't' && c != 'a' {
		return -1 // not </, <t or <a ('/' has the 0x20 bit already)
	}
	w0, w1 := word(s, 0), word(s, 8)
	w0 |= upperBytes(w0) >> 2
	w1 |= upperBytes(w1) >> 2
	for i := range compatWords {
		t := &compatWords[i]
		if w0&t.mask[0] == t.word[0] && w1&t.mask[1] == t.word[1] {
			return t.tag
		}
	}
	return -1
}

// compatWord is a tag as two words masked to its length (at most 16 bytes), for compatTag.
type compatWord struct {
	word, mask [2]uint64
	tag        int
}

// compatWords are compatTags and kelvinThink as words.
var compatWords = func() []compatWord {
	var out []compatWord
	add := func(text string, tag int) {
		var t compatWord
		for i := 0; i < len(text); i++ {
			t.word[i/8] |= uint64(text[i]) << (8 * (i % 8))
			t.mask[i/8] |= 0xff << (8 * (i % 8))
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
