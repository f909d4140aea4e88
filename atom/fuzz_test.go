package atom_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/atomsearcher/atomsearcher/atom"
)

// fuzzParser and fuzzSkipParser are reused over the inputs of FuzzParse (one at a time in a
// fuzzing process).
var fuzzParser, fuzzSkipParser, fuzzLeanParser *atom.Parser

// FuzzParse checks, on any input: no panic; Parser.Parse (memory reused from the earlier
// inputs) gives what Parse gives, and with SkipArgs (and SkipThoughts) the same but for the
// tool calls' Args (and the thoughts); every span inside the text; spans of the elements
// of a turn in order and not overlapping; thoughts inside their think. For well-formed input
// (no problems at all), Render(Parse(x)) re-parses to the same structure and renders the same
// text, and x itself when x is in Render's layout. Only the seed corpus runs by default; run
// `go test -fuzz FuzzParse ./atom` for more.
func FuzzParse(f *testing.F) {
	fuzzParser, fuzzSkipParser = new(atom.Parser), &atom.Parser{SkipArgs: true}
	fuzzLeanParser = &atom.Parser{SkipArgs: true, SkipThoughts: true}
	for _, s := range []string{
		"",
		"<think>easy</think>\n<answer>Paris</answer>",
		"<think>\n<PLAN>p</PLAN>\n</think>\n" + search + "\n<tool_response>\nr <answer>x</answer>\n</tool_response>\n<think><V>v</V></think>\n<answer>a</answer>",
		"<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\n<think><P>p <Q>q</think><answer>a</answer><|im_end|>",
		"<THINK><plan>x</PLAN></think></answer><answer>a",
		"<think><A><A></A></A></think><tool_call>{\"name\":\"browse_webpage\",\"arguments\":{\"url_list\":[]}}</tool_call>",
		"<tool_response>never closed <think>",
		"<|im_start|>assistant",
		"<think>\r\n<PLAN>查找</PLAN>\r\n</think>\r\n<answer>\u00e9</answer>",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, prefilled bool) {
		opts := atom.Options{PrefilledThink: prefilled}
		tr := atom.Parse(text, opts)
		if got := fuzzParser.Parse(text, opts); !reflect.DeepEqual(got, tr) {
			t.Fatalf("Parser.Parse(%q) = %+v, Parse %+v", text, got, tr)
		}
		if got, want := fuzzSkipParser.Parse(text, opts), withoutArgs(tr); !reflect.DeepEqual(got, want) {
			t.Fatalf("Parser{SkipArgs}.Parse(%q) = %+v, Parse without Args %+v", text, got, want)
		}
		if got, want := fuzzLeanParser.Parse(text, opts), withoutArgs(withoutThoughts(tr)); !reflect.DeepEqual(got, want) {
			t.Fatalf("Parser{SkipArgs, SkipThoughts}.Parse(%q) = %+v, Parse without Args and thoughts %+v", text, got, want)
		}
		checkSpans(t, tr)
		if chatML := strings.Contains(text, "<|im_start|>") || strings.Contains(text, "<|im_end|>"); tr.ChatML != chatML {
			t.Fatalf("ChatML %v, want %v for %q", tr.ChatML, chatML, text)
		}
		for _, p := range tr.Problems {
			if p.Offset < 0 || p.Offset > len(text) {
				t.Fatalf("problem %v outside the text (%d bytes)", p, len(text))
			}
		}
		if len(tr.Problems) != 0 {
			return
		}
		r := atom.Render(tr)
		back := atom.Parse(r, opts)
		if len(back.Problems) != 0 {
			t.Fatalf("render of a well-formed trajectory has problems %v:\n%q\n%q", back.Problems, text, r)
		}
		if r2 := atom.Render(back); r2 != r {
			t.Fatalf("render is not stable:\n%q\n%q", r, r2)
		}
		if !sameStructure(tr, back) {
			t.Fatalf("structure changed through render:\n%q\n%q", text, r)
		}
	})
}

func checkSpans(t *testing.T, tr *atom.Trajectory) {
	n := len(tr.Text)
	in := func(what string, s atom.Span) {
		if s.Start < 0 || s.End > n || s.Start > s.End {
			t.Fatalf("%s span %v outside the text (%d bytes)", what, s, n)
		}
	}
	for _, turn := range tr.Turns {
		in("turn", turn.Span)
		var elems []atom.Span
		for _, th := range turn.Thinks {
			in("think", th.Span)
			in("think inner", th.Inner)
			elems = append(elems, th.Span)
			last := th.Inner.Start
			for _, x := range th.Thoughts {
				in("thought", x.Span)
				if x.Span.Start < last || x.Span.End > th.Inner.End {
					t.Fatalf("thought %v outside its think %v or overlapping", x.Span, th.Inner)
				}
				last = x.Span.End
			}
		}
		for _, c := range turn.ToolCalls {
			in("tool call", c.Span)
			elems = append(elems, c.Span)
		}
		if turn.Answer != nil {
			in("answer", turn.Answer.Span)
			elems = append(elems, turn.Answer.Span)
		}
		for i := range elems {
			for j := range elems {
				if i != j && elems[i].Start < elems[j].End && elems[j].Start < elems[i].End {
					t.Fatalf("elements %v and %v of a turn overlap", elems[i], elems[j])
				}
			}
		}
		for _, r := range turn.ToolResponses {
			in("tool response", r.Span)
		}
	}
}

func sameStructure(a, b *atom.Trajectory) bool {
	if len(a.Turns) != len(b.Turns) {
		return false
	}
	for i := range a.Turns {
		x, y := a.Turns[i], b.Turns[i]
		if len(x.Thinks) != len(y.Thinks) || len(x.ToolCalls) != len(y.ToolCalls) || len(x.ToolResponses) != len(y.ToolResponses) ||
			(x.Answer == nil) != (y.Answer == nil) {
			return false
		}
		for j := range x.Thinks {
			if x.Thinks[j].Text != y.Thinks[j].Text || len(x.Thinks[j].Thoughts) != len(y.Thinks[j].Thoughts) {
				return false
			}
		}
		for j := range x.ToolCalls {
			if x.ToolCalls[j].Raw != y.ToolCalls[j].Raw {
				return false
			}
		}
		if x.Answer != nil && x.Answer.Text != y.Answer.Text {
			return false
		}
	}
	return true
}

// TestRenderInverseOnLayout builds well-formed trajectories in Render's layout from pieces and
// checks Render(Parse(x)) == x exactly.
func TestRenderInverseOnLayout(t *testing.T) {
	thinks := []string{"<think>plain</think>", "<think>\n<PLAN>a</PLAN>\n<reflection>b</reflection>\n</think>", "<think><X_1>\u00fc</X_1></think>"}
	calls := []string{search, "<tool_call>{\"name\": \"browse_webpage\", \"arguments\": {\"url_list\": [\"https://x\"]}}</tool_call>"}
	responses := []string{"<tool_response>\npage <answer>no</answer>\n</tool_response>", "<tool_response></tool_response>"}
	for i := range 24 {
		text := ""
		for turn := range i % 3 {
			text += thinks[(i+turn)%3] + "\n" + calls[(i+turn)%2] + "\n" + responses[(i+turn)%2] + "\n"
		}
		text += thinks[i%3] + "\n<answer>ans</answer>"
		tr := atom.Parse(text, atom.Options{})
		if !tr.OK() {
			t.Fatalf("case %d: %v", i, tr.Problems)
		}
		if got := atom.Render(tr); got != text {
			t.Fatalf("case %d:\n%q\n%q", i, text, got)
		}
	}
}
