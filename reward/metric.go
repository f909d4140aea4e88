package reward

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// AnswerSplit separates gold answers joined into one string (DeepResearcher's ground truth).
const AnswerSplit = "<|answer_split|>"

// SplitGolds splits a ground truth joined by AnswerSplit into its gold answers. Empty parts are
// kept (they score 0, so they never win).
func SplitGolds(groundTruth string) []string { return strings.Split(groundTruth, AnswerSplit) }

// tokenize returns the normalized tokens of s. A nil normalizer is NormalizeDeepResearcher,
// done in one pass: the fields of the lower-cased text split at white space and ASCII
// punctuation are exactly the fields of its normalized form. Unless lower-casing changes a
// non-ASCII character, the tokens are cut from s with their ASCII letters in the case written
// (they are compared with sameToken, which ignores ASCII case) and nothing is allocated beyond
// dst's growth.
func tokenize(s string, norm Normalizer) []string {
	var buf [16]string
	return appendTokens(buf[:0:0], s, norm)
}

func appendTokens(dst []string, s string, norm Normalizer) []string {
	if norm != nil {
		return append(dst, fields(norm(s))...)
	}
	// One pass over s, splitting in place: lower-casing never makes or removes a separator, so
	// the tokens of the lower-cased text are the tokens of s lower-cased one by one, and a token
	// needs it only when it holds a non-ASCII rune that is not its own lower case (ASCII letters
	// keep their case). Only the final sigma depends on the text around it (across separators
	// such as '.'): a text with 'Σ' is lower-cased as a whole first.
	n := len(dst)
	for i := 0; i < len(s); {
		// separators, then a token: tight loops over ASCII bytes; non-ASCII runes one by one
		for i < len(s) && byteClass[s[i]] == classSeparator {
			i++
		}
		start, lower := i, false
	token:
		for i < len(s) {
			switch byteClass[s[i]] {
			case classToken:
				i++
				continue
			case classSeparator:
				break token
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if isPythonSpace(r) {
				if i == start {
					start += size // a separator before the token
				} else {
					break token
				}
			} else if !lowerItself(r, size) {
				if r == 'Σ' {
					return appendTokensLower(dst[:n], s)
				}
				lower = true
			}
			i += size
		}
		if i > start {
			dst = appendToken(dst, s[start:i], lower)
		}
	}
	return dst
}

// The byte classes of appendTokens.
const (
	classToken     = iota // ASCII, part of a token
	classSeparator        // ASCII white space or punctuation
	classNonASCII         // a byte of a multi-byte (or invalid) UTF-8 sequence
)

var byteClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = classNonASCII
		case asciiSeparator[c]:
			t[c] = classSeparator
		}
	}
	return t
}()

// appendToken appends t, lower-cased when lower is set.
func appendToken(dst []string, t string, lower bool) []string {
	if lower {
		t = lowerPython(t)
	}
	return append(dst, t)
}

// lowerItself reports whether the non-ASCII rune r (size bytes) is valid and is its own lower
// case under Python's str.lower. The common ranges are answered without a table search.
func lowerItself(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return false
	case ownLower(r):
		return true
	}
	return unicode.ToLower(r) == r && r != 'İ' && r != 'Σ'
}

// ownLower reports that r is in a common range of runes that are their own lower case (no
// table search): Latin-1 signs, ×, ß, à-ÿ and ÷; IPA, spacing modifiers and combining marks;
// Cyrillic а-я, ѐ-џ; Arabic; general punctuation (dashes, quotes); kana and CJK (no case).
func ownLower(r rune) bool {
	switch {
	case r < 0x250:
		return 0xa0 <= r && r <= 0xbf || r == 0xd7 || 0xdf <= r && r <= 0xff
	case r < 0x700:
		return r <= 0x36f || 0x430 <= r && r <= 0x45f || r >= 0x600
	}
	return 0x2000 <= r && r <= 0x206f || 0x3040 <= r && r <= 0x9fff
}

// appendTokensLower appends the fields of lowerPython(s), split at Python's white space and
// ASCII punctuation.
func appendTokensLower(dst []string, s string) []string {
	low := lowerPython(s)
	start := -1
	for i, r := range low {
		if isSeparatorDR(r) {
			if start >= 0 {
				dst = append(dst, low[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		dst = append(dst, low[start:])
	}
	return dst
}

// asciiSeparator marks the ASCII bytes DeepResearcher's normalization splits at: Python's
// white space and string.punctuation.
var asciiSeparator = func() (t [256]bool) {
	for c := range 128 {
		t[c] = isPythonSpace(rune(c)) || isASCIIPunct(rune(c))
	}
	return t
}()

func isSeparatorDR(r rune) bool {
	if r < 0x80 {
		return asciiSeparator[r]
	}
	return isPythonSpace(r)
}

// sameToken compares tokens ignoring ASCII case: tokens are lower case already, or ASCII kept
// in their written case by tokenize.
func sameToken(a, b string) bool { return equalFoldASCII(a, b) }

// equalFoldASCII reports whether a and b are equal ignoring ASCII letter case.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
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

// f1 is the harmonic mean computed as the anchors do: 2*p*r / (p+r), with p = common/len(pred)
// and r = common/len(gold).
func f1(common, nPred, nGold int) float64 {
	if common == 0 {
		return 0
	}
	precision := float64(common) / float64(nPred)
	recall := float64(common) / float64(nGold)
	return (2 * precision * recall) / (precision + recall)
}

// firstAt reports whether ts[i] is the first occurrence of its token in ts.
func firstAt(ts []string, i int) bool {
	for j := range i {
		if sameToken(ts[j], ts[i]) {
			return false
		}
	}
	return true
}

func contains(ts []string, t string) bool {
	for _, u := range ts {
		if sameToken(u, t) {
			return true
		}
	}
	return false
}

// setF1 is F1 over the token sets of p and g.
func setF1(p, g []string) float64 {
	if len(p) == 0 || len(g) == 0 {
		return 0
	}
	if len(p)*len(g) > 4096 {
		return setF1Map(p, g)
	}
	common, np, ng := 0, 0, 0
	for i, t := range p {
		if firstAt(p, i) {
			np++
			if contains(g, t) {
				common++
			}
		}
	}
	for i := range g {
		if firstAt(g, i) {
			ng++
		}
	}
	return f1(common, np, ng)
}

// setF1Map is setF1 for long texts.
func setF1Map(p, g []string) float64 {
	ps, gs := map[string]struct{}{}, map[string]struct{}{}
	for _, t := range p {
		ps[strings.ToLower(t)] = struct{}{}
	}
	for _, t := range g {
		gs[strings.ToLower(t)] = struct{}{}
	}
	common := 0
	for t := range ps {
		if _, ok := gs[t]; ok {
			common++
		}
	}
	return f1(common, len(ps), len(gs))
}

// distinctF1 is setF1 with the prediction's tokens already distinct.
func distinctF1(pu, g []string) float64 {
	if len(pu)*len(g)+len(g)*len(g) > 4096 {
		return setF1Map(pu, g)
	}
	common, ng := 0, 0
	for _, t := range pu {
		if contains(g, t) {
			common++
		}
	}
	for i := range g {
		if firstAt(g, i) {
			ng++
		}
	}
	return f1(common, len(pu), ng)
}

// bagF1 is F1 over token multisets.
func bagF1(p, g []string) float64 {
	if len(p) == 0 || len(g) == 0 {
		return 0
	}
	common := 0
	if len(p)*len(g) > 4096 {
		counts := make(map[string]int, len(g))
		for _, t := range g {
			counts[strings.ToLower(t)]++
		}
		for _, t := range p {
			if k := strings.ToLower(t); counts[k] > 0 {
				counts[k]--
				common++
			}
		}
		return f1(common, len(p), len(g))
	}
	var usedBuf [64]bool
	used := usedBuf[:0]
	if len(g) > len(usedBuf) {
		used = make([]bool, len(g))
	} else {
		used = usedBuf[:len(g)]
	}
	for _, t := range p {
		for j, u := range g {
			if !used[j] && sameToken(t, u) {
				used[j] = true
				common++
				break
			}
		}
	}
	return f1(common, len(p), len(g))
}

func equalTokens(p, g []string) bool {
	if len(p) == 0 || len(p) != len(g) {
		return false
	}
	for i := range p {
		if !sameToken(p[i], g[i]) {
			return false
		}
	}
	return true
}

// containsRun reports whether g occurs in p as a contiguous run.
func containsRun(p, g []string) bool {
	if len(g) == 0 {
		return false
	}
	for i := 0; i+len(g) <= len(p); i++ {
		if equalTokens(p[i:i+len(g)], g) {
			return true
		}
	}
	return false
}

func boolScore(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// F1Set is DeepResearcher's F1 over the sets of normalized tokens (repeats count once). A nil
// normalizer means NormalizeDeepResearcher. An empty prediction or gold scores 0.
func F1Set(pred, gold string, norm Normalizer) float64 {
	return setF1(tokenize(pred, norm), tokenize(gold, norm))
}

// F1Bag is SQuAD's F1 over the bags (multisets) of normalized tokens. A nil normalizer means
// NormalizeDeepResearcher (pass NormalizeSQuAD for SQuAD's exact metric). An empty prediction
// or gold scores 0.
func F1Bag(pred, gold string, norm Normalizer) float64 {
	return bagF1(tokenize(pred, norm), tokenize(gold, norm))
}

// EM is 1 when the normalized prediction equals the normalized gold, else 0 (0 when either is
// empty). A nil normalizer means NormalizeDeepResearcher.
func EM(pred, gold string, norm Normalizer) float64 {
	return boolScore(equalTokens(tokenize(pred, norm), tokenize(gold, norm)))
}

// CoverEM is 1 when the normalized gold occurs in the normalized prediction as a run of whole
// tokens, else 0 (0 when either is empty). A nil normalizer means NormalizeDeepResearcher.
func CoverEM(pred, gold string, norm Normalizer) float64 {
	return boolScore(containsRun(tokenize(pred, norm), tokenize(gold, norm)))
}

// MetricFunc scores a prediction against one gold answer.
type MetricFunc func(pred, gold string, norm Normalizer) float64

// Best is the best score of pred over the gold answers (0 when there are none).
func Best(metric MetricFunc, pred string, golds []string, norm Normalizer) float64 {
	best := 0.0
	for _, g := range golds {
		if s := metric(pred, g, norm); s > best {
			best = s
		}
	}
	return best
}

// Scores are the best F1 (set and bag), EM and cover-EM of a prediction over gold answers.
type Scores struct {
	F1Set, F1Bag, EM, CoverEM float64
}
