package atom

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestWords checks the word-at-a-time helpers against byte-by-byte loops on random bytes (ASCII
// letters and the bytes around them, control and non-ASCII bytes).
func TestWords(t *testing.T) {
	alphabet := []byte("@AZ[`az{ 09\x00\x1f\x20\x7f\x80\xc1\xda\xff\"\\<")
	r := rand.New(rand.NewPCG(1, 2))
	for range 50000 {
		var b [8]byte
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		s := string(b[:])
		w := word(s, 0)
		var lower, zero, less uint64
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lower |= uint64(c) << (8 * i)
			if b[i] == 0 {
				zero |= 0x80 << (8 * i)
			}
			if b[i] < 0x20 {
				less |= 0x80 << (8 * i)
			}
		}
		if got := lowerWord(w); got != lower {
			t.Fatalf("lowerWord(%q) = %#x, want %#x", s, got, lower)
		}
		if got := zeroBytes(w); got != zero {
			t.Fatalf("zeroBytes(%q) = %#x, want %#x", s, got, zero)
		}
		if got := lessBytes(w, 0x20); got != less {
			t.Fatalf("lessBytes(%q, 0x20) = %#x, want %#x", s, got, less)
		}
	}
}

// TestClassifyWords checks the word match of classify against the byte-wise one on every tag,
// in random case, followed by random text, and on near misses.
func TestClassifyWords(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"<", ">", "/", "|", "think", "tool_", "call", "response", "answer", "im_start", "IM_END", "x",
		"\u212a", " ", "\xff"}
	for range 200000 {
		var b strings.Builder
		if r.IntN(2) == 0 {
			tag := tagText[1+r.IntN(len(tagText)-1)]
			for i := 0; i < len(tag); i++ {
				c := tag[i]
				if r.IntN(2) == 0 && 'a' <= c && c <= 'z' {
					c -= 'a' - 'A'
				}
				if r.IntN(40) == 0 {
					c ^= byte(1) << r.IntN(8) // a near miss
				}
				b.WriteByte(c)
			}
		} else {
			b.WriteByte('<')
		}
		for b.Len() < 16+r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		if s[0] != '<' {
			continue
		}
		if got, want := classifyWords(s, 0), classifyBytes(s); got != want {
			t.Fatalf("classifyWords(%q) = %d, byte-wise %d", s, got, want)
		}
	}
}

// TestIndexLT checks indexLT against strings.IndexByte from every position of random texts.
func TestIndexLT(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 5000 {
		b := make([]byte, r.IntN(70))
		for i := range b {
			b[i] = "ab<\xbc\x3d\x00 "[r.IntN(7)]
			if r.IntN(4) > 0 {
				b[i] = 'x'
			}
		}
		s := string(b)
		for from := 0; from <= len(s); from++ {
			want := strings.IndexByte(s[from:], '<')
			if want >= 0 {
				want += from
			}
			if got := indexLT(s, from); got != want {
				t.Fatalf("indexLT(%q, %d) = %d, want %d", s, from, got, want)
			}
		}
	}
}
