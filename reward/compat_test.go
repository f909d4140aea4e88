package reward

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// literalCompat is DeepResearcher's check written as the Python does it: lower-case the whole
// response, count and find the tags in the copy.
func literalCompat(response string) (string, bool) {
	low := lowerPython(response)
	for _, tag := range []string{"tool_call", "think", "answer"} {
		o, c := "<"+tag+">", "</"+tag+">"
		if strings.Count(low, o) != strings.Count(low, c) || (strings.Contains(low, c) && strings.Index(low, c) < strings.Index(low, o)) {
			return "", false
		}
	}
	i := strings.Index(low, "<answer>")
	if i < 0 {
		return "", false
	}
	j := strings.Index(low[i+len("<answer>"):], "</answer>")
	if j < 0 {
		return "", false
	}
	return strings.TrimSpace(low[i+len("<answer>") : i+len("<answer>")+j]), true
}

// literalTokens is the tokenization the one-pass tokenizer stands for.
func literalTokens(s string) []string {
	return strings.FieldsFunc(lowerPython(s), isSeparatorDR)
}

func compatAgrees(t *testing.T, response string) {
	t.Helper()
	raw, problem, gotOK := deepResearcherAnswer(response)
	want, ok := literalCompat(response)
	got := strings.TrimSpace(lowerPython(raw))
	if got != want || gotOK != ok || (problem.Kind == "") != ok {
		t.Fatalf("deepResearcherAnswer(%q) = %q, %v, %v; literal %q, %v", response, got, problem, gotOK, want, ok)
	}
	var sb stringBlock
	if got := strings.TrimSpace(sb.lowerPython(raw)); got != want {
		t.Fatalf("stringBlock.lowerPython: answer of %q = %q, literal %q", response, got, want)
	}
}

func tokensAgree(t *testing.T, s string) {
	t.Helper()
	got, want := tokenize(s, nil), literalTokens(s)
	if len(got) != len(want) {
		t.Fatalf("tokenize(%q) = %q, literal %q", s, got, want)
	}
	for i := range got {
		if !sameToken(got[i], want[i]) || strings.ToLower(got[i]) != want[i] {
			t.Fatalf("tokenize(%q) = %q, literal %q", s, got, want)
		}
	}
}

var compatPieces = []string{"<think>", "</think>", "<THINK>", "</Think>", "<thin\u212a>", "</thin\u212a>", "<thin", "\u212a>",
	"<answer>", "</answer>", "<ANSWER>", "</Answer>", "<tool_call>", "</tool_call>", "<TOOL_CALL>", "<", ">", "/",
	"Paris", "PARIS", "ΟΔΟΣ", "Σ", "İstanbul", "Zürich", "ZÜRICH", "東京", "Москва", "ß", "÷", "ǅ", "\u212a", "K", "k",
	" ", "\n", "\t", "\u00a0", "\u3000", "\u2028", "\x1c", ",", "!", "-", "_", "\xff", "\xc3", "\ufffd", "x"}

// TestCompatRandom compares the in-place check and tokenizer with the literal ones on random
// texts of tags, cased and uncased letters, Kelvin signs, spaces, punctuation and bad UTF-8.
func TestCompatRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 50000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(compatPieces[r.IntN(len(compatPieces))])
		}
		compatAgrees(t, b.String())
		tokensAgree(t, b.String())
	}
}

// FuzzCompat runs the same comparisons on any input.
func FuzzCompat(f *testing.F) {
	f.Add("<thin\u212a>x</think><answer>ΣΑΣ Zürich</answer>")
	f.Add("<think>x</think><answer>\xff東京 ÷ İ</ANSWER>")
	f.Fuzz(func(t *testing.T, s string) {
		compatAgrees(t, s)
		tokensAgree(t, s)
	})
}

// TestCompatTagWords checks the word comparison of compatTag against the byte-wise one on
// every tag, in random case, followed by random text, and on near misses.
func TestCompatTagWords(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	pieces := append([]string{"<thin", "</thin", "<tool_c", "</answe", "<PLAN>", "</", "<t", "<a", "\u212a", "\xe2\x84"},
		compatPieces...)
	for range 200000 {
		var b strings.Builder
		if r.IntN(2) == 0 {
			tag := []string{"<tool_call>", "</tool_call>", "<think>", "</think>", "<answer>", "</answer>", "<thin\u212a>", "</thin\u212a>"}[r.IntN(8)]
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
		if got, want := compatTag(s), compatTagShort(s); got != want {
			t.Fatalf("compatTag(%q) = %d, byte-wise %d", s, got, want)
		}
	}
}
