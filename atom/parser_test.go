package atom_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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
	// Parse builds in pooled Parsers and copies the result out: results must survive the
	// parses after them
	kept := make([]*atom.Trajectory, len(texts))
	for i, text := range texts {
		kept[i] = atom.Parse(text, atom.Options{})
	}
	defer func() {
		for i, text := range texts {
			require.Equal(t, atom.Parse(text, atom.Options{}), kept[i], "text %d parsed again", i)
		}
	}()
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

// withOwnTurns returns a copy of t whose Turns slice is its own (nil stays nil).
func withOwnTurns(t *atom.Trajectory) atom.Trajectory {
	c := *t
	if t.Turns != nil {
		c.Turns = append([]atom.Turn(nil), t.Turns...)
	}
	return c
}

// withoutArgs returns t with every tool call's Args nil (a copy where there are tool calls).
func withoutArgs(t *atom.Trajectory) *atom.Trajectory {
	c := withOwnTurns(t)
	for i := range c.Turns {
		if calls := c.Turns[i].ToolCalls; calls != nil {
			c.Turns[i].ToolCalls = append([]atom.ToolCall{}, calls...)
			for j := range c.Turns[i].ToolCalls {
				c.Turns[i].ToolCalls[j].Args = nil
			}
		}
	}
	return &c
}

// withoutThoughts returns t with every think's Thoughts nil and no unclosed_thought warning
// (a copy where it differs).
func withoutThoughts(t *atom.Trajectory) *atom.Trajectory {
	c := withOwnTurns(t)
	for i := range c.Turns {
		if thinks := c.Turns[i].Thinks; thinks != nil {
			c.Turns[i].Thinks = append([]atom.Think{}, thinks...)
			for j := range c.Turns[i].Thinks {
				c.Turns[i].Thinks[j].Thoughts = nil
			}
		}
	}
	c.Problems = nil
	for _, p := range t.Problems {
		if p.Kind != atom.UnclosedThought {
			c.Problems = append(c.Problems, p)
		}
	}
	return &c
}

// TestParserSkipThoughts checks that a Parser with SkipThoughts gives what Parse gives but for
// the thinks' Thoughts and the unclosed_thought warnings, with and without SkipArgs and
// RequireAtomicThoughts.
func TestParserSkipThoughts(t *testing.T) {
	texts := readCorpus(t, "testdata/corpus.jsonl.gz")
	texts = append(texts,
		"<think>plain</think><answer>a</answer>",
		"<think>plain</think><think><P>p</think><answer>a</answer>",
		"<think><P>open <Q>q</Q></think><answer>a</answer>",
		"<think>x <answer>cut</answer>",
		"<think>x <p>lower</p> <tool_call>{}</tool_call></think><answer>a</answer>",
		"<think><think></think><answer>a</answer>",
		"<think>"+strings.Repeat("< a ", 40)+"<LATE>x</LATE></think><answer>a</answer>",
	)
	for _, skipArgs := range []bool{false, true} {
		for _, required := range []bool{false, true} {
			ps := atom.Parser{SkipThoughts: true, SkipArgs: skipArgs}
			opts := atom.Options{RequireAtomicThoughts: required}
			for i, text := range texts {
				want := withoutThoughts(atom.Parse(text, opts))
				if skipArgs {
					want = withoutArgs(want)
				}
				require.Equal(t, want, ps.Parse(text, opts), "text %d: %q", i, text)
			}
		}
	}
}

// TestParserSkipArgs checks that a Parser with SkipArgs gives what Parse gives but for the
// tool calls' Args: the same problems for every shape of arguments.
func TestParserSkipArgs(t *testing.T) {
	texts := readCorpus(t, "testdata/corpus.jsonl.gz")
	call := func(json string) string {
		return "<think>t</think><tool_call>" + json + "</tool_call><answer>a</answer>"
	}
	for _, j := range []string{
		`{"name": "web_search", "arguments": {"query": ["a", "b"]}}`,
		`{"name": "web_search", "arguments": {"query": "a"}}`,
		`{"name": "web_search", "arguments": {"query": []}}`,
		`{"name": "web_search", "arguments": {"query": ["a", 1]}}`,
		`{"name": "web_search", "arguments": {"query": 1}}`,
		`{"name": "web_search", "arguments": {"q": "a"}}`,
		`{"name": "web_search", "arguments": {"query": "a", "query": null}}`,
		`{"name": "web_search", "arguments": ["query"]}`,
		`{"name": "web_search", "arguments": null}`,
		`{"arguments": {"query": "a"}, "name": "web_search"}`,
		`{"name": "browse_webpage", "arguments": {"url_list": ["u"], "query": "q"}}`,
		`{"name": "browse_webpage", "arguments": {"url_list": ["u"], "query": ["q"]}}`,
		`{"name": "browse_webpage", "arguments": {"url_list": "u"}}`,
		`{"name": "browse_webpage", "arguments": {"url_list": []}}`,
		`{"name": "browse_webpage", "arguments": {"query": "q"}}`,
		`{"name": "browse_webpage", "arguments": {"url_list": ["u"]}, "arguments": {"url_list": [{"a": 1}]}}`,
		`{"name": "web_search", "arguments": {"query": ["a"], "x": {"query": 1, "y": [1.5e3, true, null]}}}`,
		`{"name": "other", "arguments": {}}`,
		`{"name": 1, "arguments": {}}`,
		`{"name": "web_search"}`,
		`{"name": "web_search", "arguments": {"query": ["a"]}`,
		`{"name": "web_search", "arguments": {"query": ["\ud800", "\u00e9"]}} x`,
	} {
		texts = append(texts, call(j))
	}
	ps := atom.Parser{SkipArgs: true}
	for i, text := range texts {
		want := withoutArgs(atom.Parse(text, atom.Options{}))
		require.Equal(t, want, ps.Parse(text, atom.Options{}), "text %d: %q", i, text)
	}
}

// TestManyThoughts checks thinks with more '<' than the parser lists while scanning (it then
// searches the think again), nested same-name thoughts and an unclosed one among them.
func TestManyThoughts(t *testing.T) {
	for _, n := range []int{1, 31, 32, 33, 70} {
		think := "<think>"
		var want []atom.Thought
		for i := range n {
			tag := []string{"PLAN", "Reflection", "a_1"}[i%3]
			body := "x < y"
			if i%7 == 3 {
				body = "<" + tag + ">nested</" + tag + "> <b>bold</b>"
			}
			start := len(think)
			think += "<" + tag + ">" + body + "</" + strings.ToUpper(tag) + ">\n"
			want = append(want, atom.Thought{Tag: tag, Span: atom.Span{Start: start, End: len(think) - 1},
				Inner: atom.Span{Start: start + len(tag) + 2, End: len(think) - len(tag) - 4}, Text: body, Closed: true})
		}
		start := len(think)
		think += "<LAST> open"
		want = append(want, atom.Thought{Tag: "LAST", Span: atom.Span{Start: start, End: len(think)},
			Inner: atom.Span{Start: start + 6, End: len(think)}, Text: "open"})
		text := think + "</think><answer>a</answer>"
		tr := atom.Parse(text, atom.Options{})
		require.Len(t, tr.Turns, 1, "n=%d", n)
		require.Equal(t, want, tr.Turns[0].Think().Thoughts, "n=%d", n)
		require.Len(t, tr.Warnings(), 1, "n=%d: the unclosed <LAST>", n)
		assert.Equal(t, atom.UnclosedThought, tr.Warnings()[0].Kind)
	}
}
