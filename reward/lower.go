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

// lowerSimple is strings.ToLower(s) in one pass (ASCII inline, a copy only when something
// changes), or false when s holds 'İ' or 'Σ', whose Python lower case is not the simple one.
func lowerSimple(s string) (string, bool) {
	var b strings.Builder
	changed := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				if !changed {
					b.Grow(len(s) + 8)
					b.WriteString(s[:i])
					changed = true
				}
				c += 'a' - 'A'
			}
			if changed {
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 'İ' || r == 'Σ' {
			return "", false
		}
		l := r
		if !ownLower(r) {
			l = unicode.ToLower(r)
		}
		if l != r || (r == utf8.RuneError && size == 1) { // strings.Map writes U+FFFD for a bad byte
			if !changed {
				b.Grow(len(s) + 8)
				b.WriteString(s[:i])
				changed = true
			}
			b.WriteRune(l)
		} else if changed {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	if !changed {
		return s, true
	}
	return b.String(), true
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
