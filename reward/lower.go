package reward

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lowerPython lower-cases s as Python's str.lower() does, which the anchors' normalizers call.
// Go's strings.ToLower uses the simple case mapping; Python's uses the full one, which differs
// in two places: 'İ' (U+0130) becomes "i̇" (i + U+0307 combining dot), and a capital sigma at
// the end of a word becomes the final sigma 'ς'.
func lowerPython(s string) string {
	// ASCII fast path: one pass, a copy only when there is an upper-case letter
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			goto full
		}
		upper = upper || ('A' <= c && c <= 'Z')
	}
	if !upper {
		return s
	}
	return strings.ToLower(s)
full:
	if l, ok := lowerSimple(s); ok {
		return l
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch r {
		case 'İ':
			b.WriteString("i\u0307")
		case 'Σ':
			if finalSigma(s, i) {
				b.WriteRune('ς')
			} else {
				b.WriteRune('σ')
			}
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// lowerSimple is strings.ToLower(s) (s itself when nothing changes), or false when s holds
// 'İ' or 'Σ', whose Python lower case is not the simple one.
func lowerSimple(s string) (string, bool) {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			j := i + asciiLowerPrefix(s[i:])
			if j < len(s) && s[j] < utf8.RuneSelf {
				return lowerSimpleFrom(s, j) // a capital
			}
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !lowerItself(r, size) {
			return lowerSimpleFrom(s, i)
		}
		i += size
	}
	return s, true
}

// lowerSimpleFrom is lowerSimple(s) for an s whose first i bytes need no change.
func lowerSimpleFrom(s string, i int) (string, bool) {
	var buf [256]byte
	low, ok := appendLowerSimple(append(buf[:0], s[:i]...), s[i:])
	if !ok {
		return "", false
	}
	return string(low), true
}

// appendLowerSimple appends strings.ToLower(s) to dst (an invalid byte becomes U+FFFD), or
// returns false when s holds 'İ' or 'Σ'. Runs of bytes that do not change are copied at once.
func appendLowerSimple(dst []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			j := i + asciiPrefix(s[i:])
			dst = appendLowerASCII(dst, s[i:j])
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 'İ' || r == 'Σ':
			return dst, false
		case r == utf8.RuneError && size == 1:
			dst = utf8.AppendRune(dst, utf8.RuneError) // as strings.Map writes it
		case ownLower(r):
			dst = append(dst, s[i:i+size]...)
		default:
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
		i += size
	}
	return dst, true
}

// finalSigma applies Unicode's Final_Sigma condition to the 'Σ' at byte i: a cased letter
// before it and none after it, skipping case-ignorable characters.
func finalSigma(s string, i int) bool {
	before := false
	for j := i; j > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		j -= size
		if caseIgnorable(r) {
			continue
		}
		before = cased(r)
		break
	}
	if !before {
		return false
	}
	for j := i + len("Σ"); j < len(s); {
		r, size := utf8.DecodeRuneInString(s[j:])
		j += size
		if caseIgnorable(r) {
			continue
		}
		return !cased(r)
	}
	return true
}

func cased(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r)
}

func caseIgnorable(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk) ||
		r == '\'' || r == '.' || r == ':' || r == '^' || r == '`' || r == '\u00b7' || r == '\u2019'
}
