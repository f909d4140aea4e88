package atom

import "strings"

// tagID identifies the tags the parser recognizes in model text.
type tagID uint8

const (
	tagNone tagID = iota
	tagThinkOpen
	tagThinkClose
	tagCallOpen
	tagCallClose
	tagAnswerOpen
	tagAnswerClose
	tagResponseOpen
	tagResponseClose
	tagIMStart
	tagIMEnd
	tagEndOfText
)

// tagText is each tag as Render writes it. The trajectory tags match in any case; the ChatML
// special tokens only as written.
var tagText = [...]string{
	tagNone:          "",
	tagThinkOpen:     "<think>",
	tagThinkClose:    "</think>",
	tagCallOpen:      "<tool_call>",
	tagCallClose:     "</tool_call>",
	tagAnswerOpen:    "<answer>",
	tagAnswerClose:   "</answer>",
	tagResponseOpen:  "<tool_response>",
	tagResponseClose: "</tool_response>",
	tagIMStart:       "<|im_start|>",
	tagIMEnd:         "<|im_end|>",
	tagEndOfText:     "<|endoftext|>",
}

// element is one of the three balanced trajectory elements.
type element uint8

const (
	elemThink element = iota
	elemCall
	elemAnswer
	numElements
)

var elementName = [numElements]string{"think", "tool_call", "answer"}

var elementOpen = [numElements]tagID{tagThinkOpen, tagCallOpen, tagAnswerOpen}
var elementClose = [numElements]tagID{tagThinkClose, tagCallClose, tagAnswerClose}

// elementOf returns the element a trajectory tag opens or closes.
func elementOf(id tagID) (e element, open, ok bool) {
	switch id {
	case tagThinkOpen:
		return elemThink, true, true
	case tagThinkClose:
		return elemThink, false, true
	case tagCallOpen:
		return elemCall, true, true
	case tagCallClose:
		return elemCall, false, true
	case tagAnswerOpen:
		return elemAnswer, true, true
	case tagAnswerClose:
		return elemAnswer, false, true
	}
	return 0, false, false
}

// hasPrefixFold reports whether s starts with the ASCII lower-case prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// classify returns the tag starting at s[i] (s[i] == '<'), or tagNone.
func classify(s string, i int) tagID {
	rest := s[i:]
	if len(rest) < 7 {
		return tagNone
	}
	switch c := rest[1]; c {
	case '/', '|', 't', 'T', 'a', 'A':
		if len(rest) >= 16 {
			return classifyWords(s, i)
		}
		return classifyBytes(rest)
	}
	return tagNone
}

// classifyBytes is classify for the text rest starting with '<', byte by byte.
func classifyBytes(rest string) tagID {
	switch c := rest[1]; c {
	case '/':
		switch rest[2] | 0x20 {
		case 't':
			switch {
			case hasPrefixFold(rest, tagText[tagThinkClose]):
				return tagThinkClose
			case hasPrefixFold(rest, tagText[tagCallClose]):
				return tagCallClose
			case hasPrefixFold(rest, tagText[tagResponseClose]):
				return tagResponseClose
			}
		case 'a':
			if hasPrefixFold(rest, tagText[tagAnswerClose]) {
				return tagAnswerClose
			}
		}
	case '|':
		for _, id := range [...]tagID{tagIMStart, tagIMEnd, tagEndOfText} {
			if strings.HasPrefix(rest, tagText[id]) {
				return id
			}
		}
	case 't', 'T':
		switch {
		case hasPrefixFold(rest, tagText[tagThinkOpen]):
			return tagThinkOpen
		case hasPrefixFold(rest, tagText[tagCallOpen]):
			return tagCallOpen
		case hasPrefixFold(rest, tagText[tagResponseOpen]):
			return tagResponseOpen
		}
	case 'a', 'A':
		if hasPrefixFold(rest, tagText[tagAnswerOpen]) {
			return tagAnswerOpen
		}
	}
	return tagNone
}

// nextTag returns the position and kind of the first recognized tag at or after from, or
// (len(s), tagNone).
func nextTag(s string, from int) (int, tagID) {
	for from < len(s) {
		i := indexLT(s, from)
		if i < 0 {
			break
		}
		var id tagID
		if len(s)-i >= 16 { // classify's common case, without its call
			switch s[i+1] | 0x20 {
			case '/', '|', 't', 'a':
				id = classifyWords(s, i)
			}
		} else {
			id = classify(s, i)
		}
		if id != tagNone {
			return i, id
		}
		from = i + 1
	}
	return len(s), tagNone
}

// indexFold returns the first index at or after from of the lower-case ASCII tag in s,
// ignoring case, or -1.
func indexFold(s string, from int, tag string) int {
	for from < len(s) {
		i := indexLT(s, from)
		if i < 0 {
			return -1
		}
		if hasPrefixFold(s[i:], tag) {
			return i
		}
		from = i + 1
	}
	return -1
}

// isSpace reports ASCII white space (what Python's str.split and strip remove for ASCII text).
func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// firstNonSpace returns the index of the first non-white-space byte in s[a:b], or -1.
func firstNonSpace(s string, a, b int) int {
	for i := a; i < b; i++ {
		if !isSpace(s[i]) {
			return i
		}
	}
	return -1
}

// equalFoldASCII reports whether a and b are equal ignoring ASCII letter case.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
