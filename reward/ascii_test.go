package reward

import (
	"math/rand/v2"
	"strings"
	"testing"
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

// TestASCIITokens checks the one-pass tokenizing and hashing of ASCII text against
// appendTokens and tokenHash, and that tokenHash ignores ASCII case.
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
		got, hashes, ok := appendASCIITokens(nil, nil, s)
		want := appendTokens(nil, s, nil)
		if !ok || len(got) != len(want) || len(hashes) != len(got) {
			t.Fatalf("appendASCIITokens(%q) = %q, appendTokens %q", s, got, want)
		}
		for i := range got {
			if got[i] != want[i] || hashes[i] != tokenHash(want[i]) {
				t.Fatalf("appendASCIITokens(%q) = %q %v, appendTokens %q", s, got, hashes, want)
			}
			if tokenHash(strings.ToUpper(got[i])) != hashes[i] || tokenHash(strings.ToLower(got[i])) != hashes[i] {
				t.Fatalf("tokenHash(%q) depends on the case", got[i])
			}
			if !equalLowered([]byte(strings.ToLower(got[i])), got[i]) || equalLowered([]byte(strings.ToLower(got[i])+"x"), got[i]) {
				t.Fatalf("equalLowered(%q) is wrong", got[i])
			}
		}
	}
}
