package atom

// Parser parses like Parse, reusing its memory from one call to the next: the trajectory a
// call returns, and every slice in it (tool call Arguments included), is valid only until the
// next call. Use it to check many texts one after the other (scoring rollouts) without a
// trajectory's allocations each. Args maps are still new on every call. The zero value is ready
// to use; a Parser is not safe for concurrent use.
type Parser struct {
	// SkipArgs leaves every tool call's Args nil: the arguments are still decoded and checked
	// (the problems are the same) and Arguments holds them as written, but no map is built.
	// For callers that need the verdict and the answer, not the arguments (reward scoring).
	SkipArgs bool
	// SkipThoughts leaves every think's Thoughts nil and reports no unclosed_thought warning;
	// the other problems are the same (no_atomic_thoughts included: a think holding an atomic
	// thought is still noticed). For callers that need no thoughts (reward scoring without
	// per-thought scores).
	SkipThoughts bool

	t         Trajectory
	answer    Answer
	turns     []Turn
	thinks    []Think
	calls     []ToolCall
	responses []ToolResponse
	thoughts  []Thought
	problems  []Problem
	sc        callScratch
	lts       [64]int32 // the '<' positions a think's scan records
	// used is how much of each slab the last call filled (turns, thinks, calls, responses,
	// thoughts, problems), cleared on the next so the parser keeps no reference to old text
	used [6]int
}

// Parse parses text as the function Parse does. The result is valid until the next call.
func (ps *Parser) Parse(text string, opts Options) *Trajectory {
	if ps.turns == nil {
		a := new(arena)
		ps.turns, ps.thinks, ps.calls, ps.responses, ps.thoughts, ps.problems =
			a.turns[:0], a.thinks[:0], a.calls[:0], a.responses[:0], a.thoughts[:0], a.problems[:0]
	}
	// the slabs are filled by appends, which overwrite the last text's elements: only those
	// beyond this text's are cleared, after it
	used := ps.used
	ps.t, ps.answer = Trajectory{}, Answer{}
	var p parser
	p.start(&ps.t, &ps.answer, ps.turns, ps.thinks, ps.calls, ps.responses, ps.thoughts, ps.problems)
	p.lts, p.skipThoughts = ps.lts[:], ps.SkipThoughts
	ps.sc.args, ps.sc.vals, ps.sc.skipArgs = ps.sc.args[:0], nil, ps.SkipArgs
	t := p.parse(text, opts, &ps.sc)
	clearTail(ps.turns, p.turns, used[0])
	clearTail(ps.thinks, p.thinks, used[1])
	clearTail(ps.calls, p.calls, used[2])
	clearTail(ps.responses, p.responses, used[3])
	clearTail(ps.thoughts, p.thoughts, used[4])
	clearTail(ps.problems, p.problems, used[5])
	// keep the slabs, grown if this text needed more
	ps.used = [6]int{len(p.turns), len(p.thinks), len(p.calls), len(p.responses), len(p.thoughts), len(p.problems)}
	ps.turns, ps.thinks, ps.calls, ps.responses, ps.thoughts, ps.problems =
		p.turns[:0], p.thinks[:0], p.calls[:0], p.responses[:0], p.thoughts[:0], p.problems[:0]
	return t
}

// clearTail clears slab[len(filled):n], the elements the last text filled beyond this one's,
// when filled is still in slab's memory (a slab that moved is dropped whole).
func clearTail[T any](slab, filled []T, n int) {
	if len(filled) < n && cap(slab) > 0 && cap(filled) == cap(slab) && &slab[:1][0] == &filled[:1][0] {
		clear(slab[len(filled):n])
	}
}

// Reset drops the parser's references to the last text parsed (the next Parse does it too),
// for a Parser kept idle in a pool. The last result is invalid from then on.
func (ps *Parser) Reset() {
	clear(ps.turns[:ps.used[0]])
	clear(ps.thinks[:ps.used[1]])
	clear(ps.calls[:ps.used[2]])
	clear(ps.responses[:ps.used[3]])
	clear(ps.thoughts[:ps.used[4]])
	clear(ps.problems[:ps.used[5]])
	ps.used = [6]int{}
	ps.t, ps.answer = Trajectory{}, Answer{}
}
