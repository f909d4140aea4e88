package tokenizer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atomsearcher/atomsearcher/tokenizer"
)

// wordLevelTexts are the texts of the WordLevel goldens (make_wordlevel_goldens.js encodes
// them with HF tokenizers after loading the tokenizer.json files that NewWordLevel wrote).
var wordLevelTexts = []string{
	"Who directed Parasite?",
	"<|im_start|>user\nWho directed Parasite?<|im_end|>\n<|im_start|>assistant\n<think>\n<PLAN>Search for the film.</PLAN>\n</think>\n<tool_call>\n{\"name\": \"web_search\", \"arguments\": {\"query\": [\"Parasite director\"]}}\n</tool_call><|im_end|>",
	"<answer>Bong Joon-ho</answer>",
	"Unknown words zyzzyva, don't stop!  Twice  spaced.",
	"UPPER lower MiXeD 2019",
	"Where was Kludropan born? Results for \"Vosarin\": Tamelu's city, Stestate.",
	"",
}

var wordLevelModes = map[string]tokenizer.WordSplit{
	"words-punctuation": tokenizer.SplitWordsAndPunctuation,
	"whitespace":        tokenizer.SplitWhitespace,
	"exact":             tokenizer.SplitExact,
	"space-prefixed":    tokenizer.SplitSpacePrefixed,
	"syllables":         tokenizer.SplitSyllables,
}

func wordLevelConfig(split tokenizer.WordSplit) tokenizer.WordLevelConfig {
	corpus := []string{
		"Who directed Parasite? Bong Joon-ho directed the film in 2019.",
		"<think>\n<PLAN>Search for the film.</PLAN>\n</think>\n<tool_call>\n{\"name\": \"web_search\", \"arguments\": {\"query\": [\"Parasite director\"]}}\n</tool_call>",
		"user assistant don't stop! upper lower",
		"Where was Kludropan born? Kludropan was born in Vosarin. Results for Tamelu.",
	}
	cfg := tokenizer.WordLevelConfig{
		SpecialTokens: tokenizer.ChatMLSpecialTokens,
		AddedTokens:   append(append([]string{}, tokenizer.AgentTokens...), "<PLAN>", "</PLAN>"),
		Split:         split,
		Lowercase:     split == tokenizer.SplitWhitespace,
	}
	words, err := tokenizer.VocabularyFromCorpus(corpus, cfg, 1)
	if err != nil {
		panic(err)
	}
	cfg.Words = words
	return cfg
}

type wordLevelGolden struct {
	Tokenizer string `json:"tokenizer"`
	Text      string `json:"text"`
	IDs       []int  `json:"ids"`
	Decoded   string `json:"decoded"`
}

// TestNewWordLevelMatchesHF checks the tokenizer.json NewWordLevel writes against the checked-in
// one (ATOMSEARCHER_UPDATE_GOLDENS=1 rewrites it; then run make_goldens.sh), and the ids and
// decoded text against what HF tokenizers made of that file.
func TestNewWordLevelMatchesHF(t *testing.T) {
	toks := map[string]*tokenizer.Tokenizer{}
	for name, split := range wordLevelModes {
		tok, err := tokenizer.NewWordLevel(wordLevelConfig(split))
		require.NoError(t, err, name)
		path := filepath.Join("testdata", "wordlevel-"+name+".json")
		if os.Getenv("ATOMSEARCHER_UPDATE_GOLDENS") == "1" {
			require.NoError(t, tok.Save(path))
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err)
		got, err := tok.MarshalJSON()
		require.NoError(t, err)
		require.JSONEq(t, string(want), string(got), name)
		toks[name] = tok
	}
	goldens := readJSONL[wordLevelGolden](t, "wordlevel-golden.jsonl.gz")
	require.Len(t, goldens, len(wordLevelModes)*len(wordLevelTexts))
	for i, g := range goldens {
		tok := toks[g.Tokenizer]
		require.NotNil(t, tok, g.Tokenizer)
		enc := tok.Encode(g.Text)
		assert.Equal(t, g.IDs, enc.IDs, "case %d (%s): %q", i, g.Tokenizer, g.Text)
		got, err := tok.Decode(enc.IDs)
		require.NoError(t, err)
		assert.Equal(t, g.Decoded, got, "case %d (%s) decode", i, g.Tokenizer)
	}
}

func TestWordLevelExactRoundTripAndChat(t *testing.T) {
	tok, err := tokenizer.NewWordLevel(wordLevelConfig(tokenizer.SplitExact))
	require.NoError(t, err)
	text := wordLevelTexts[1]
	got, err := tok.Decode(tok.EncodeIDs(text))
	require.NoError(t, err)
	assert.Equal(t, text, got)

	unk, ok := tok.TokenID("[UNK]")
	require.True(t, ok)
	assert.Equal(t, 0, unk)
	assert.Contains(t, tok.EncodeIDs("zyzzyva"), unk)
	assert.True(t, tok.IsSpecial(mustID(t, tok, "<|im_end|>")))
	assert.False(t, tok.IsSpecial(mustID(t, tok, "<PLAN>")))

	// The Qwen template works with WordLevel ids.
	msgs := []tokenizer.Message{{Role: "user", Content: "Who directed Parasite?"}}
	conv, err := tok.EncodeChat(msgs, tokenizer.ChatOptions{AddGenerationPrompt: true})
	require.NoError(t, err)
	want, err := tokenizer.RenderChat(msgs, tokenizer.ChatOptions{AddGenerationPrompt: true})
	require.NoError(t, err)
	decoded, err := tok.Decode(conv.IDs())
	require.NoError(t, err)
	assert.Equal(t, want, decoded)
	assert.Equal(t, tok.EncodeIDs(want), conv.IDs())
	skipped, err := tok.DecodeSkipSpecial(conv.IDs())
	require.NoError(t, err)
	assert.Equal(t, strings.NewReplacer("<|im_start|>", "", "<|im_end|>", "").Replace(want), skipped)
}

func TestNewWordLevelErrors(t *testing.T) {
	_, err := tokenizer.NewWordLevel(tokenizer.WordLevelConfig{AddedTokens: []string{""}})
	assert.ErrorContains(t, err, "empty added token")
	_, err = tokenizer.NewWordLevel(tokenizer.WordLevelConfig{Split: tokenizer.WordSplit(9)})
	assert.ErrorContains(t, err, "unknown WordSplit 9")
	_, err = tokenizer.VocabularyFromCorpus([]string{"x"}, tokenizer.WordLevelConfig{Split: tokenizer.WordSplit(9)}, 1)
	assert.ErrorContains(t, err, "unknown WordSplit 9")
}

func mustID(t *testing.T, tok *tokenizer.Tokenizer, s string) int {
	id, err := tok.RequireTokenID(s)
	require.NoError(t, err)
	return id
}
