package reward

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestASCIIWords checks the word-at-a-time helpers against byte-by-byte loops on random texts
// of ASCII (capitals and the bytes around them) and non-ASCII bytes, at every alignment.
func TestASCIIWords(t *testing.T) {
	alphabet := []byte("@AZ[`az{ 09\x00\x7f\x80\xc1\xda\xc3\xff<;=\xbc")
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
			if r.IntN(3) > 0 {
				b[i] = alphabet[r.IntN(8)] // mostly ASCII letters
			}
		}
		s := string(b)
		wantLower, wantASCII := 0, 0
		for wantASCII < len(s) && s[wantASCII] < 0x80 {
			wantASCII++
		}
		for wantLower < len(s) && s[wantLower] < 0x80 && (s[wantLower] < 'A' || s[wantLower] > 'Z') {
			wantLower++
		}
		for i := 0; i+8 <= len(s); i++ {
			w := word(s, i)
			var want uint64
			for k := range 8 {
				if s[i+k] == '<' {
					want |= 0x80 << (8 * k)
				}
			}
			if got := byteMask(w, '<'); got != want {
				t.Fatalf("byteMask(%q, '<') = %#x, want %#x", s[i:i+8], got, want)
			}
		}
		if got := asciiPrefix(s); got != wantASCII {
			t.Fatalf("asciiPrefix(%q) = %d, want %d", s, got, wantASCII)
		}
		if got := asciiLowerPrefix(s); got != wantLower {
			t.Fatalf("asciiLowerPrefix(%q) = %d, want %d", s, got, wantLower)
		}
		want := []byte("x")
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			want = append(want, c)
		}
		if got := appendLowerASCII([]byte("x"), s); string(got) != string(want) {
			t.Fatalf("appendLowerASCII(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestPlainTokens checks the one-pass tokenizing and keying of appendPlainTokens against
// appendTokens and tokenKeyOf on random texts of ASCII pieces and non-ASCII runes, that it
// gives up exactly on texts with a rune lower-casing changes, and that keys ignore ASCII case.
func TestPlainTokens(t *testing.T) {
	pieces := []string{"a", "Paris", "PARIS", "the", "x1", "foo_bar", "averyveryverylongtoken", "12345678", " ", "  ",
		",", "!", "-", "\t", "\n", "\x1c", "\x00", "\x7f", "@", "Z9z0", "é", "ˌɪ", "東京", "\u00a0", "\u3000", "\u0085",
		"\u2009", "–"}
	lowered := []string{"É", "Σ", "İ", "\xff", "\xc3"} // runes lower-casing changes, invalid bytes
	r := rand.New(rand.NewPCG(5, 6))
	for range 40000 {
		var b []byte
		for range r.IntN(12) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		s := string(b)
		k := r.IntN(len(s) + 1)
		for k < len(s) && !utf8.RuneStart(s[k]) {
			k++
		}
		bad := s[:k] + lowered[r.IntN(len(lowered))] + s[k:]
		_, _, ok := appendPlainTokens(nil, nil, bad)
		require.False(t, ok, "appendPlainTokens(%q) took a rune to lower-case", bad)
		got, keys, ok := appendPlainTokens(nil, nil, s)
		want := appendTokens(nil, s, nil)
		require.True(t, ok, "%q", s)
		require.Equal(t, want, got, "%q", s)
		require.Len(t, keys, len(got))
		for i := range got {
			require.Equal(t, tokenKeyOf(want[i]), keys[i], "%q in %q", got[i], s)
			require.Equal(t, keys[i], tokenKeyOf(asciiCase(got[i], unicode.ToUpper)), "tokenKeyOf(%q) depends on the case", got[i])
			require.Equal(t, keys[i], tokenKeyOf(asciiCase(got[i], unicode.ToLower)), "tokenKeyOf(%q) depends on the case", got[i])
			low := asciiCase(got[i], unicode.ToLower)
			if !equalLowered([]byte(low), got[i]) || equalLowered([]byte(low+"x"), got[i]) {
				t.Fatalf("equalLowered(%q) is wrong", got[i])
			}
		}
	}
}

// asciiCase maps the ASCII letters of s with f, leaving other runes as they are.
func asciiCase(s string, f func(rune) rune) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf {
			return f(r)
		}
		return r
	}, s)
}

// TestAlnumBytes checks the word-at-a-time letter-and-digit test against a byte loop.
func TestAlnumBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		w := r.Uint64()
		if r.IntN(2) == 0 { // mostly ASCII, around the ranges' ends
			b := []byte("/09:@AZ[`az{\x00\x7f\x80\xff")
			w = 0
			for k := range 8 {
				w |= uint64(b[r.IntN(len(b))]) << (8 * k)
			}
		}
		var want uint64
		for k := range 8 {
			c := byte(w >> (8 * k))
			if '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
				want |= 0x80 << (8 * k)
			}
		}
		require.Equal(t, want, alnumBytes(w), "%016x", w)
	}
}

// TestTokenTableFind checks that lookups tell apart tokens whose keys agree in part: equal
// heads and different lengths, equal first eight bytes and different tails, and that they
// ignore ASCII case only.
func TestTokenTableFind(t *testing.T) {
	interned := []string{"abc", "abc\x00", "abcdefgh", "abcdefghx", "abcdefghy", "abcdefghxyzabcdefgh", "é", "x"}
	var tt tokenTable
	tt.reset(len(interned))
	for i, tok := range interned {
		require.Equal(t, int32(i), tt.intern(tok), tok)
	}
	for _, tc := range []struct {
		token string
		want  int32
	}{
		{"abc", 0}, {"ABC", 0}, {"abc\x00", 1}, {"ab", -1}, {"abcd", -1}, {"abc\x00\x00", -1},
		{"abcdefgh", 2}, {"ABCDEFGH", 2}, {"abcdefghx", 3}, {"abcdefghY", 4}, {"abcdefghz", -1},
		{"abcdefghxyzabcdefgh", 5}, {"abcdefghxyzabcdefgi", -1}, {"abcdefghxyzabcdefg", -1},
		{"é", 6}, {"É", -1}, {"X", 7}, {"", -1},
	} {
		assert.Equal(t, tc.want, tt.find(tokenKeyOf(tc.token), tc.token), "%q", tc.token)
	}
}
