package atom_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/atomsearcher/atomsearcher/atom"
)

// TestParserReuse parses texts of every shape, long and short, one after the other with one
// Parser, and checks each result against Parse's while it is valid (before the next call).
func TestParserReuse(t *testing.T) {
	texts := readCorpus(t, "testdata/corpus.jsonl.gz")
	texts = append(texts,
		"",
		"<think>easy</think>\n<answer>Paris</answer>",
		"<think>\n<PLAN>p</PLAN>\n</think>\n"+search+"\n<tool_response>\nr <answer>x</answer>\n</tool_response>\n<think><V>v</V></think>\n<answer>a</answer>",
		"<|im_start|>system\ns<|im_end|>\n<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\n<think><P>p <Q>q</think><answer>a</answer><|im_end|>",
		"<THINK><plan>x</PLAN></think></answer><answer>a",
		"<think><A><A></A></A></think><tool_call>{\"name\":\"browse_webpage\",\"arguments\":{\"url_list\":[]}}</tool_call>",
		"<tool_response>never closed <think>",
		"<think>\r\n<PLAN>查找</PLAN>\r\n</think>\r\n<answer>\u00e9</answer>",
		"<answer>a</answer><answer>b</answer><think>t</think><answer>c</answer>",
	)
	// a text with more of everything than the parser's first slabs hold
	big := ""
	for i := range 12 {
		big += "<think><PLAN>p</PLAN><R>r</R><S>s</S></think>" + search + "<tool_response>r</tool_response>"
		if i%3 == 0 {
			big += "<tool_call>{}</tool_call></think>"
		}
	}
	texts = append(texts, big+"<answer>done</answer>", big)
	r := rand.New(rand.NewPCG(1, 2))
	var ps atom.Parser
	for pass := range 3 {
		order := r.Perm(len(texts))
		for _, i := range order {
			opts := atom.Options{PrefilledThink: pass == 1 && i%2 == 0, RequireAtomicThoughts: pass == 2}
			want := atom.Parse(texts[i], opts)
			got := ps.Parse(texts[i], opts)
			require.Equal(t, want, got, "pass %d text %d", pass, i)
			if i%5 == 0 {
				ps.Reset()
			}
		}
	}
}
