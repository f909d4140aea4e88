package atom

import (
	"encoding/json"
	"fmt"
)

// Validate checks the content rules of a trajectory — an answer is present, every tool call is
// a JSON object {"name", "arguments"} naming an allowed tool with well-typed arguments, some
// think holds an atomic thought — and returns the problems found (Parse adds them to the
// syntax problems it found while scanning). It decodes each tool call's Raw into Name,
// Arguments and Args, so it also serves trajectories built by hand.
func Validate(t *Trajectory, opts Options) []Problem {
	return validate(nil, t, opts, new(callScratch), false)
}

// validate is Validate appending to out, with sc as the tool calls' scratch. sawThought says
// that some think holds an atomic thought its Thoughts do not list (Parser.SkipThoughts).
func validate(out []Problem, t *Trajectory, opts Options, sc *callScratch, sawThought bool) []Problem {
	thoughts, firstThink := 0, -1
	if sawThought {
		thoughts = 1
	}
	for i := range t.Turns {
		turn := &t.Turns[i]
		for j := range turn.Thinks {
			if firstThink < 0 {
				firstThink = turn.Thinks[j].Span.Start
			}
			thoughts += len(turn.Thinks[j].Thoughts)
		}
		for j := range turn.ToolCalls {
			if p, bad := checkToolCall(&turn.ToolCalls[j], opts, sc, t); bad {
				out = append(out, p)
			}
		}
	}
	if t.Answer() == nil {
		out = append(out, Problem{Kind: MissingAnswer, Severity: Error, Offset: len(t.Text), Tag: "answer",
			Detail: "no <answer> element"})
	}
	if thoughts == 0 {
		sev := Warning
		if opts.RequireAtomicThoughts {
			sev = Error
		}
		off := max(firstThink, 0)
		out = append(out, Problem{Kind: NoAtomicThoughts, Severity: sev, Offset: off, Tag: "think",
			Detail: "no atomic thought (<PLAN>, <REFLECTION>, ...) in any <think>"})
	}
	return out
}

// checkToolCall decodes c.Raw into c's fields and returns the first problem with it.
// callScratch is what the tool calls of one trajectory share: the JSON decoder's stack, and the
// bytes their Arguments are cut from (one allocation, sized for every call's Raw).
type callScratch struct {
	// skipArgs leaves the calls' Args nil (Parser.SkipArgs)
	skipArgs bool
	stack    []any
	// vals is the slab the arrays in the calls' Args are cut from: new for every trajectory
	// (a Parser's results keep their Args after the next parse)
	vals []any
	args []byte
}

// arguments returns raw as a json.RawMessage cut (capacity-limited) from sc.args.
func (sc *callScratch) arguments(raw string, t *Trajectory) json.RawMessage {
	if cap(sc.args)-len(sc.args) < len(raw) {
		n := 0
		for i := range t.Turns {
			for j := range t.Turns[i].ToolCalls {
				n += len(t.Turns[i].ToolCalls[j].Raw)
			}
		}
		sc.args = make([]byte, 0, max(n, len(raw)))
	}
	start := len(sc.args)
	sc.args = append(sc.args, raw...)
	return sc.args[start:len(sc.args):len(sc.args)]
}

func checkToolCall(c *ToolCall, opts Options, sc *callScratch, t *Trajectory) (Problem, bool) {
	bad := func(k Kind, format string, args ...any) (Problem, bool) {
		return Problem{Kind: k, Severity: Error, Offset: c.Span.Start, Tag: "tool_call", Detail: fmt.Sprintf(format, args...)}, true
	}
	c.Name, c.Arguments, c.Args = "", nil, nil
	v, err := decodeToolCall(c.Raw, &sc.stack, &sc.vals, sc.skipArgs)
	if err != nil {
		return bad(BadToolCall, "not one JSON object: %v", err)
	}
	if !v.object {
		return bad(BadToolCall, "not one JSON object")
	}
	if !v.hasName {
		return bad(BadToolCall, `no "name"`)
	}
	var ok bool
	if !v.nameString {
		return bad(BadToolCall, `"name" is not a string`)
	}
	c.Name = v.nameStr
	if !v.hasArgs {
		return bad(BadToolCall, `no "arguments"`)
	}
	c.Arguments = sc.arguments(v.argsRaw, t)
	if !opts.allowed(c.Name) {
		return bad(UnknownTool, "tool %q is not allowed", c.Name)
	}
	if sc.skipArgs {
		return checkArgsSummary(c, v.argsKinds, bad)
	}
	if c.Args, ok = v.args.(map[string]any); !ok {
		return bad(BadToolArguments, `"arguments" is not a JSON object`)
	}
	switch c.Name {
	case "web_search":
		q, ok := c.Args["query"]
		if !ok {
			return bad(BadToolArguments, `web_search needs "query"`)
		}
		if !stringOrStrings(q, false) {
			return bad(BadToolArguments, `web_search "query" must be a string or a non-empty list of strings`)
		}
	case "browse_webpage":
		urls, ok := c.Args["url_list"]
		if !ok {
			return bad(BadToolArguments, `browse_webpage needs "url_list"`)
		}
		if _, isList := urls.([]any); !isList || !stringOrStrings(urls, true) {
			return bad(BadToolArguments, `browse_webpage "url_list" must be a non-empty list of strings`)
		}
		if q, ok := c.Args["query"]; ok {
			if _, isString := q.(string); !isString {
				return bad(BadToolArguments, `browse_webpage "query" must be a string`)
			}
		}
	}
	return Problem{}, false
}

// checkArgsSummary applies the argument checks of checkToolCall to the summary of arguments
// that were not built (Parser.SkipArgs).
func checkArgsSummary(c *ToolCall, a argsSummary, bad func(Kind, string, ...any) (Problem, bool)) (Problem, bool) {
	if !a.object {
		return bad(BadToolArguments, `"arguments" is not a JSON object`)
	}
	switch c.Name {
	case "web_search":
		if a.query == argAbsent {
			return bad(BadToolArguments, `web_search needs "query"`)
		}
		if a.query != argString && a.query != argStrings {
			return bad(BadToolArguments, `web_search "query" must be a string or a non-empty list of strings`)
		}
	case "browse_webpage":
		if a.urlList == argAbsent {
			return bad(BadToolArguments, `browse_webpage needs "url_list"`)
		}
		if a.urlList != argStrings {
			return bad(BadToolArguments, `browse_webpage "url_list" must be a non-empty list of strings`)
		}
		if a.query != argAbsent && a.query != argString {
			return bad(BadToolArguments, `browse_webpage "query" must be a string`)
		}
	}
	return Problem{}, false
}

// stringOrStrings reports whether v is a string (unless listOnly) or a non-empty list of
// strings.
func stringOrStrings(v any, listOnly bool) bool {
	switch v := v.(type) {
	case string:
		return !listOnly
	case []any:
		if len(v) == 0 {
			return false
		}
		for _, s := range v {
			if _, ok := s.(string); !ok {
				return false
			}
		}
		return true
	}
	return false
}
