package reward

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzLowerPython checks lowerPython's one-pass lower-casing against strings.ToLower wherever
// the simple case mapping applies (no 'İ', no 'Σ'), invalid UTF-8 included, and the lower-casing
// into a stringBlock against lowerPython everywhere.
func FuzzLowerPython(f *testing.F) {
	for _, s := range []string{"", "abc", "ABC déjà VU", "ÜNÏCÖDÉ 東京 Москва", "\xff\xfeA", "\u212a", "ǅ ß ẞ", "a\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var sb stringBlock
		if got, want := sb.lowerPython(s), lowerPython(s); got != want {
			t.Fatalf("stringBlock.lowerPython(%q) = %q, lowerPython %q", s, got, want)
		}
		if strings.ContainsRune(s, 'İ') || strings.ContainsRune(s, 'Σ') {
			return
		}
		if got, want := lowerPython(s), strings.ToLower(s); got != want {
			t.Fatalf("lowerPython(%q) = %q, strings.ToLower %q", s, got, want)
		}
	})
}

// TestOwnLower checks the ranges ownLower answers without a table against unicode.ToLower.
func TestOwnLower(t *testing.T) {
	for r := rune(0x80); r <= 0x10ffff; r++ {
		if ownLower(r) && unicode.ToLower(r) != r {
			t.Fatalf("ownLower(%U) but unicode.ToLower gives %U", r, unicode.ToLower(r))
		}
	}
}
