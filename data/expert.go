package data

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// SearchFunc runs the queries of one web_search call and returns the tool response text the
// policy reads. World.Search is the default; to use the real local index, wrap the tools
// package's web_search tool:
//
//	search := func(ctx context.Context, queries []string) (string, error) {
//		args, _ := json.Marshal(map[string]any{"query": queries})
//		res, err := webSearch.Call(ctx, args)
//		return res.Text, err
//	}
type SearchFunc func(ctx context.Context, queries []string) (string, error)

// ExpertTurn is one assistant turn of a scripted trajectory and, unless it is the last, the
// tool response that follows it.
type ExpertTurn struct {
	// Assistant is the turn as the policy would write it, starting with "<think>" (the agent
	// pre-fills the first one) and ending with "</tool_call>" or "</answer>".
	Assistant string
	// Queries are the web_search queries of the turn's tool call; nil for the answer turn.
	Queries []string
	// ToolResponse is the search's text, "" for the answer turn.
	ToolResponse string
	// Grounded reports that the tool response contains every fact the next turn observes.
	Grounded bool
}

// ExpertTrajectory is a scripted expert solution of a question in the Atom-Searcher format:
// a think of atomic thoughts (<PLAN>, <ACTION>, <OBSERVATION>, <REFLECTION>, <VERIFICATION>)
// naming the entities, a web_search call per step with the entity names as queries, and the
// answer.
type ExpertTrajectory struct {
	Question Question
	Turns    []ExpertTurn
	// Hasty marks a HastyExpert trajectory (an answer after the first of several hops).
	Hasty bool
}

// Grounded reports whether every tool response held the facts the trajectory then observes.
func (t ExpertTrajectory) Grounded() bool {
	for _, turn := range t.Turns {
		if turn.Queries != nil && !turn.Grounded {
			return false
		}
	}
	return true
}

// Expert scripts the trajectory of q, running each step's search through search. The language
// is templated: the plan lists the steps' goals, each observation quotes the passage sentences,
// each reflection says what is known and what comes next, and the verification restates the
// facts and the conclusion.
func Expert(ctx context.Context, q Question, search SearchFunc) (ExpertTrajectory, error) {
	if len(q.Steps) == 0 || len(q.Answers) == 0 {
		return ExpertTrajectory{}, fmt.Errorf("data: expert: question %q has no steps or no answer", q.Question)
	}
	t, err := expertSearches(ctx, q, len(q.Steps), search)
	if err != nil {
		return t, err
	}
	last := q.Steps[len(q.Steps)-1]
	var facts []string
	for _, s := range q.Steps {
		facts = append(facts, s.Facts...)
	}
	t.Turns = append(t.Turns, ExpertTurn{Assistant: answerTurn(last.Facts, facts, q.Conclusion, q.Answers[0])})
	return t, nil
}

// HastyExpert scripts the trajectory of a hasty expert on a multi-hop chain question: it plans
// and makes the first search as Expert does, then answers at once with the name that search
// found (the first hop's entity, not the answer) instead of following the remaining hops —
// answering from partial evidence, the commonest failure of search agents. Its verification
// states the first hop's facts and a conclusion from them, so the turn is well formed and
// grounded; only the decision to stop is wrong. Mixed into SFT data (train's
// data.hasty_experts), such demonstrations teach the format while leaving when to stop
// searching for the reward to teach. It fails on a question of one hop or whose first step
// finds no single name (the comparisons).
func HastyExpert(ctx context.Context, q Question, search SearchFunc) (ExpertTrajectory, error) {
	if !CanBeHasty(q) {
		return ExpertTrajectory{}, fmt.Errorf("data: hasty expert: question %q is not a chain of two or more hops", q.Question)
	}
	t, err := expertSearches(ctx, q, 1, search)
	if err != nil {
		return t, err
	}
	first := q.Steps[0]
	conclusion := "So the answer is " + first.Finds + "."
	t.Turns = append(t.Turns, ExpertTurn{Assistant: answerTurn(first.Facts, first.Facts, conclusion, first.Finds)})
	t.Hasty = true
	return t, nil
}

// CanBeHasty reports whether HastyExpert can script q: a chain of at least two hops whose first
// step finds one name.
func CanBeHasty(q Question) bool {
	return len(q.Steps) >= 2 && q.Steps[0].Finds != "" && len(q.Answers) > 0
}

// expertSearches scripts the first n search turns of q's expert.
func expertSearches(ctx context.Context, q Question, n int, search SearchFunc) (ExpertTrajectory, error) {
	t := ExpertTrajectory{Question: q}
	for k, step := range q.Steps[:n] {
		var b strings.Builder
		b.WriteString("<think>\n")
		if k == 0 {
			goals := make([]string, len(q.Steps))
			for i, s := range q.Steps {
				goals[i] = s.PlanGoal
			}
			// The plan restates the question before decomposing it: the names the searches need
			// are then copied from just before, which is what a small model learns first.
			fmt.Fprintf(&b, "<PLAN>The question is: %s To answer it, I need to find %s.</PLAN>\n", q.Question, strings.Join(goals, ", then "))
		} else {
			prev := q.Steps[k-1]
			fmt.Fprintf(&b, "<OBSERVATION>%s</OBSERVATION>\n", strings.Join(prev.Facts, " "))
			fmt.Fprintf(&b, "<REFLECTION>Now I know %s. Next I need to find %s.</REFLECTION>\n", prev.Goal, step.Goal)
		}
		fmt.Fprintf(&b, "<ACTION>I will search for %s.</ACTION>\n</think>\n", listWords(step.Queries))
		b.WriteString(webSearchCall(step.Queries))
		resp, err := search(ctx, step.Queries)
		if err != nil {
			return ExpertTrajectory{}, fmt.Errorf("data: expert: question %q: search %v: %w", q.Question, step.Queries, err)
		}
		grounded := true
		for _, f := range step.Facts {
			grounded = grounded && strings.Contains(resp, f)
		}
		t.Turns = append(t.Turns, ExpertTurn{Assistant: b.String(), Queries: step.Queries, ToolResponse: resp, Grounded: grounded})
	}
	return t, nil
}

// answerTurn is the last turn: the latest search's facts observed, the verification restating
// the facts and the conclusion, and the answer.
func answerTurn(observed, facts []string, conclusion, answer string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<think>\n<OBSERVATION>%s</OBSERVATION>\n", strings.Join(observed, " "))
	fmt.Fprintf(&b, "<VERIFICATION>%s %s</VERIFICATION>\n</think>\n", strings.Join(facts, " "), conclusion)
	fmt.Fprintf(&b, "<answer>%s</answer>", answer)
	return b.String()
}

// Experts scripts the trajectories of qs in order.
func Experts(ctx context.Context, qs []Question, search SearchFunc) ([]ExpertTrajectory, error) {
	out := make([]ExpertTrajectory, 0, len(qs))
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t, err := Expert(ctx, q, search)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// webSearchCall writes the tool call as the anchors do:
// <tool_call>\n{"name": "web_search", "arguments": {"query": [...]}}\n</tool_call>.
func webSearchCall(queries []string) string {
	q, _ := json.Marshal(queries) // a []string always marshals
	return `<tool_call>` + "\n" + `{"name": "web_search", "arguments": {"query": ` + strings.ReplaceAll(string(q), `","`, `", "`) + "}}\n</tool_call>"
}

// Search is the default SearchFunc over the world's corpus: for each query, the passage whose
// title is the query (case-insensitive), as the only hit. It renders exactly as the tools
// package's RenderSearch (web_search's text) does for those hits, the whole passage as the
// snippet:
//
//	Results for "QUERY":
//	[1] TITLE
//	URL
//	TEXT
//
// one block per query, blocks separated by a blank line, "No results." for an unknown name.
func (w *World) Search(ctx context.Context, queries []string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	passages := w.passagesByTitle()
	var b strings.Builder
	for qi, q := range queries {
		if qi > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "Results for %q:\n", q)
		p, ok := passages[strings.ToLower(q)]
		if !ok {
			b.WriteString("No results.\n")
			continue
		}
		fmt.Fprintf(&b, "[1] %s\n%s\n%s\n", p.Title, p.URL, p.Text)
	}
	return strings.TrimRight(b.String(), "\n"), nil
}

func (w *World) passagesByTitle() map[string]Passage {
	w.once.Do(func() {
		w.byTitle = map[string]Passage{}
		for _, p := range w.Passages() {
			w.byTitle[strings.ToLower(p.Title)] = p
		}
	})
	return w.byTitle
}

// Messages returns the trajectory as chat messages: the user question, then each assistant turn
// followed by its tool response (role "tool"), the layout chat templates and SFT tools take.
func (t ExpertTrajectory) Messages() []Message {
	msgs := []Message{{Role: "user", Content: t.Question.Question}}
	for _, turn := range t.Turns {
		msgs = append(msgs, Message{Role: "assistant", Content: turn.Assistant})
		if turn.Queries != nil {
			msgs = append(msgs, Message{Role: "tool", Content: turn.ToolResponse})
		}
	}
	return msgs
}
