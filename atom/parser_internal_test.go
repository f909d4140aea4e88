package atom

import (
	"reflect"
	"strings"
	"testing"
)

// TestParserDropsOldText checks that after a short text, the elements a longer text before it
// filled in the parser's slabs are cleared (the parser keeps no reference to old text).
func TestParserDropsOldText(t *testing.T) {
	call := `<tool_call>{"name": "web_search", "arguments": {"query": ["q"]}}</tool_call>`
	big := strings.Repeat("<think><P>p</P><Q>q</Q></think>"+call+"<tool_response>r</tool_response>", 4) +
		"<answer>a</answer></think>"
	for _, skip := range []bool{false, true} {
		ps := Parser{SkipArgs: skip}
		ps.Parse(big, Options{})
		ps.Parse("<think>t</think><answer>a</answer>", Options{})
		slabs := []any{ps.turns, ps.thinks, ps.calls, ps.responses, ps.thoughts, ps.problems}
		for k, slab := range slabs {
			v := reflect.ValueOf(slab)
			v = v.Slice(0, v.Cap())
			for i := ps.used[k]; i < v.Len(); i++ {
				if !v.Index(i).IsZero() {
					t.Fatalf("slab %d element %d (%d used) not cleared: %+v", k, i, ps.used[k], v.Index(i))
				}
			}
		}
	}
}
