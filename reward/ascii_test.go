package reward

import (
	"math/rand/v2"
	"strings"
	"testing"

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

// TestASCIITokens checks the one-pass tokenizing and keying of ASCII text against
// appendTokens and tokenKeyOf, and that tokenKeyOf ignores ASCII case.
func TestASCIITokens(t *testing.T) {
	pieces := []string{"a", "Paris", "PARIS", "the", "x1", "foo_bar", "averyveryverylongtoken", "12345678", " ", "  ",
		",", "!", "-", "\t", "\n", "\x1c", "\x00", "\x7f", "@"}
	r := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		var b []byte
		for range r.IntN(12) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		s := string(b)
		if _, _, ok := appendASCIITokens(nil, nil, s+"\xc3\xa9"); ok {
			t.Fatalf("appendASCIITokens(%q) took a non-ASCII byte", s+"\xc3\xa9")
		}
		got, keys, ok := appendASCIITokens(nil, nil, s)
		want := appendTokens(nil, s, nil)
		if !ok || len(got) != len(want) || len(keys) != len(got) {
			t.Fatalf("appendASCIITokens(%q) = %q, appendTokens %q", s, got, want)
		}
		for i := range got {
			if got[i] != want[i] || keys[i] != tokenKeyOf(want[i]) {
				t.Fatalf("appendASCIITokens(%q) = %q %v, appendTokens %q", s, got, keys, want)
			}
			if tokenKeyOf(strings.ToUpper(got[i])) != keys[i] || tokenKeyOf(strings.ToLower(got[i])) != keys[i] {
				t.Fatalf("tokenKeyOf(%q) depends on the case", got[i])
			}
			if !equalLowered([]byte(strings.ToLower(got[i])), got[i]) || equalLowered([]byte(strings.ToLower(got[i])+"x"), got[i]) {
				t.Fatalf("equalLowered(%q) is wrong", got[i])
			}
		}
	}
}

// TestTokenTableFind checks that lookups tell apart tokens whose keys agree in part: equal
// heads and different lengths, equal first eight bytes and different tails, and that they
// ignore ASCII case only.
func TestTokenTableFind(t *testing.T) {
	interned := []string{"abc", "abc\x00", "abcdefgh", "abcdefghx", "abcdefghy", "abcdefghxyzabcdefgh", "é", "x"}
	var tt tokenTable
	tt.reset(len(interned), 64)
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
