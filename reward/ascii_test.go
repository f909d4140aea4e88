package reward

import (
	"math/rand/v2"
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
