package tokenizer

import (
	"encoding/json"
	"fmt"
	"sort"
)

// WordSplit is how a WordLevel tokenizer built by NewWordLevel cuts text into words.
type WordSplit int

const (
	// SplitWordsAndPunctuation is HF's Whitespace pre-tokenizer: runs of word characters and
	// runs of punctuation (\w+|[^\w\s]+), whitespace dropped. Decoding joins tokens with spaces
	// and removes the space before . , ! ? (HF's WordPiece decoder with cleanup).
	SplitWordsAndPunctuation WordSplit = iota
	// SplitWhitespace is HF's WhitespaceSplit: whitespace-separated words. Decoding joins with
	// spaces.
	SplitWhitespace
	// SplitExact keeps everything: runs of letters, digits and _ are words, and every other
	// character (punctuation, each space, each newline) is a token of its own; decoding
	// concatenates (HF's Fuse decoder), so Decode(Encode(x)) == x when every piece is in the
	// vocabulary. This is the one to use when the model must write JSON tool calls.
	SplitExact
	// SplitSpacePrefixed is SplitExact with a word taking the single space before it (GPT-2's
	// " word" pieces): runs of letters, digits and _ with an optional leading space are words, and
	// every other character is a token of its own. Decoding concatenates, so Decode(Encode(x)) ==
	// x when every piece is in the vocabulary, with about 40% fewer tokens than SplitExact on
	// English prose: the split of the tiny models trained from scratch.
	SplitSpacePrefixed
	// SplitSyllables is SplitSpacePrefixed with capitalized words cut into consonant-vowel
	// syllables (" Vosarin" -> " Vo", "sa", "rin"; " Where" -> " Whe", "re"), lower-case words
	// kept whole. Invented names then share a vocabulary of a few hundred syllables that every
	// training trajectory exercises, instead of one token per name that only the questions
	// naming it train: a small model can copy a name it has never seen, syllable by syllable.
	// Decoding concatenates, so Decode(Encode(x)) == x when every piece is in the vocabulary.
	SplitSyllables
)

// exactPattern is SplitExact's Split regex, run by a hand-written matcher (exactMatcher).
const exactPattern = `[\p{L}\p{N}_]+|[^\p{L}\p{N}_]`

// spacePrefixedPattern is SplitSpacePrefixed's Split regex (run by regexp2).
const spacePrefixedPattern = ` ?[\p{L}\p{N}_]+|[^\p{L}\p{N}_]`

// syllablePattern is SplitSyllables' Split regex (run by regexp2; the lookbehind is one
// character, which Oniguruma, the engine of the Hugging Face library, accepts): a capitalized
// word's first syllable (with its leading space), a syllable that follows a vowel inside a word
// (closed by the word's last consonant), then SplitSpacePrefixed's words and single characters.
const syllablePattern = ` ?[A-Z][b-df-hj-np-tv-z]?[aeiou]|(?<=[aeiou])[b-df-hj-np-tv-z]{1,2}[aeiou](?:[b-df-hj-np-tv-z](?![\p{L}\p{N}_]))?| ?[\p{L}\p{N}_]+|[^\p{L}\p{N}_]`

// ChatMLSpecialTokens are the special tokens of the ChatML template.
var ChatMLSpecialTokens = []string{"<|endoftext|>", "<|im_start|>", "<|im_end|>"}

// AgentTokens are the tags of the deep-research trajectory format, as added (non-special)
// tokens: they are matched whole and kept by DecodeSkipSpecial.
var AgentTokens = []string{"<think>", "</think>", "<tool_call>", "</tool_call>", "<tool_response>",
	"</tool_response>", "<answer>", "</answer>"}

// WordLevelConfig describes a WordLevel tokenizer. Ids: UnkToken is 0, then SpecialTokens,
// then AddedTokens, then Words, each in the order given (duplicates are dropped).
type WordLevelConfig struct {
	Words         []string
	SpecialTokens []string // e.g. ChatMLSpecialTokens: matched before splitting, skipped by DecodeSkipSpecial
	AddedTokens   []string // e.g. AgentTokens and atomic-thought tags such as "<PLAN>", "</PLAN>"
	UnkToken      string   // "[UNK]" when empty
	Split         WordSplit
	Lowercase     bool // lowercase the text first (HF's Lowercase normalizer)
}

// NewWordLevel builds a WordLevel tokenizer (for tiny models trained from scratch) as a
// tokenizer.json that the Hugging Face tokenizers library loads: Save writes it.
func NewWordLevel(cfg WordLevelConfig) (*Tokenizer, error) {
	unk := cfg.UnkToken
	if unk == "" {
		unk = "[UNK]"
	}
	vocab := map[string]int{}
	var order []string
	addWord := func(w string) bool {
		if _, dup := vocab[w]; dup || w == "" {
			return false
		}
		vocab[w] = len(order)
		order = append(order, w)
		return true
	}
	addWord(unk)
	type added struct {
		ID         int    `json:"id"`
		Content    string `json:"content"`
		SingleWord bool   `json:"single_word"`
		LStrip     bool   `json:"lstrip"`
		RStrip     bool   `json:"rstrip"`
		Normalized bool   `json:"normalized"`
		Special    bool   `json:"special"`
	}
	addedTokens := []added{{ID: 0, Content: unk, Special: true}}
	for _, group := range []struct {
		tokens  []string
		special bool
	}{{cfg.SpecialTokens, true}, {cfg.AddedTokens, false}} {
		for _, tok := range group.tokens {
			if tok == "" {
				return nil, fmt.Errorf("tokenizer: NewWordLevel: empty added token")
			}
			if addWord(tok) {
				addedTokens = append(addedTokens, added{ID: vocab[tok], Content: tok, Special: group.special})
			}
		}
	}
	for _, w := range cfg.Words {
		addWord(w)
	}
	type object = map[string]any
	var pre, dec any
	switch cfg.Split {
	case SplitWordsAndPunctuation:
		pre = object{"type": "Whitespace"}
		dec = object{"type": "WordPiece", "prefix": "##", "cleanup": true}
	case SplitWhitespace:
		pre = object{"type": "WhitespaceSplit"}
	case SplitExact:
		pre = object{"type": "Split", "pattern": object{"Regex": exactPattern}, "behavior": "Isolated", "invert": false}
		dec = object{"type": "Fuse"}
	case SplitSpacePrefixed:
		pre = object{"type": "Split", "pattern": object{"Regex": spacePrefixedPattern}, "behavior": "Isolated", "invert": false}
		dec = object{"type": "Fuse"}
	case SplitSyllables:
		pre = object{"type": "Split", "pattern": object{"Regex": syllablePattern}, "behavior": "Isolated", "invert": false}
		dec = object{"type": "Fuse"}
	default:
		return nil, fmt.Errorf("tokenizer: NewWordLevel: unknown WordSplit %d", cfg.Split)
	}
	var normalizer any
	if cfg.Lowercase {
		normalizer = object{"type": "Lowercase"}
	}
	spec := object{
		"version": "1.0", "truncation": nil, "padding": nil, "added_tokens": addedTokens,
		"normalizer": normalizer, "pre_tokenizer": pre, "post_processor": nil, "decoder": dec,
		"model": object{"type": "WordLevel", "vocab": vocab, "unk_token": unk},
	}
	data, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("tokenizer: NewWordLevel: %w", err)
	}
	return FromJSON(data)
}

// VocabularyFromCorpus returns the words of texts as a tokenizer built from cfg would cut them
// (cfg.Split, cfg.Lowercase; cfg.SpecialTokens and cfg.AddedTokens are cut out first and not
// counted), most frequent first (ties in byte order), keeping those seen at least minCount
// times: the Words of cfg. cfg.Words is ignored.
func VocabularyFromCorpus(texts []string, cfg WordLevelConfig, minCount int) ([]string, error) {
	cfg.Words = nil
	probe, err := NewWordLevel(cfg)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	sc := &scratch{}
	for _, text := range texts {
		for _, seg := range probe.segments(text) {
			n := normalize(probe.normalizers, normalized{text: seg})
			pieces := append(sc.pieces[:0], piece{0, len(n.text)})
			for _, p := range probe.pre {
				pieces = p.split(n.text, pieces, nil, sc)
			}
			for _, p := range pieces {
				counts[n.text[p.start:p.end]]++
			}
		}
	}
	var words []string
	for w, c := range counts {
		if c >= max(minCount, 1) {
			words = append(words, w)
		}
	}
	sort.Slice(words, func(i, j int) bool {
		if counts[words[i]] != counts[words[j]] {
			return counts[words[i]] > counts[words[j]]
		}
		return words[i] < words[j]
	})
	return words, nil
}

// segments returns the stretches of text between added tokens.
func (t *Tokenizer) segments(text string) []string {
	var out []string
	prev := 0
	for _, m := range t.rawAdded.find(text, nil) {
		if m.start > prev {
			out = append(out, text[prev:m.start])
		}
		prev = m.end
	}
	if prev < len(text) {
		out = append(out, text[prev:])
	}
	return out
}

// exactMatcher runs exactPattern: runs of letters, numbers and _ are matches, and so is each
// other character alone.
type exactMatcher struct{}

func (exactMatcher) find(s string, start, end int, out []span) []span {
	i := start
	for i < end {
		c, w := classAt(s, i)
		j := i + w
		if c == classLetter || c == classNumber || s[i] == '_' {
			for j < end {
				c2, w2 := classAt(s, j)
				if c2 != classLetter && c2 != classNumber && s[j] != '_' {
					break
				}
				j += w2
			}
		}
		out = append(out, span{i, j, true})
		i = j
	}
	return out
}
