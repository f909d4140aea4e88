package rrm

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/atomsearcher/atomsearcher/atom"
)

// Heuristic is an offline judge: a LEXICAL PROXY for a reasoning reward model, not a model of
// reasoning quality. It needs no server, is deterministic and costs microseconds, which makes it
// the default of the embedded training run and of tests; use an LLMJudge for real process
// rewards. It ignores Input.Gold (the outcome reward already uses the gold answers).
//
// Each atomic thought gets a score in [0,1] from the words it shares with what it should be
// about (content words: lower-cased letters and digits, stop words dropped, the stop words
// including reasoning verbs such as know, find and search, which name no content), by the kind
// of its tag:
//
//   - PLAN, ACTION (and any tag containing PLAN, ACTION, SEARCH or QUERY): 0.2 + 0.5·max(share of
//     the question's content words it names, share of its words found in the question or the
//     tool responses so far) + 0.3·(share of its turn's tool-call query words it names; question
//     share again when the turn calls no tool). A plan must aim at the question, or build on it
//     and what the searches returned (the next hop of a chain names an entity a search found),
//     and an action must be the one taken.
//   - OBSERVATION, REFLECTION (and tags containing OBSERV, REFLECT, SUMMAR, ANALY): 0.2 + 0.8·(share
//     of its words found in the latest tool response before it or in the question). Before any
//     tool response: 0.2 + 0.4·(question share). Grounding is what an observation is for; a
//     reflection may also restate what the question asks next.
//   - VERIFICATION (and tags containing VERIF, CHECK, CONFIRM): 0.2 + 0.5·(share of the final
//     answer's words it contains) + 0.3·(share of its words found in any earlier tool response).
//     A verification must check the answer given, against evidence.
//   - any other tag: 0.2 + 0.4·(question share) + 0.4·(grounding in earlier tool responses, or
//     question share before any).
//
// Then: an empty thought scores 0; a thought with fewer than 3 content words (unless it is a
// plan/action naming every word of its tool call), an unclosed one, or one that repeats an
// earlier thought word for word has its score halved.
//
// Version 2 (Result.Raw's "judge": "heuristic-v2"): version 1 judged later plans by the
// question's words alone, reflections by the latest response alone, counted "know", "find" and
// "search" as content and halved every short action, so that a complete multi-hop trajectory
// scored below one that answered after the first search (mean R_atom 0.73 against 0.82 on the
// embedded world's chains), and the hybrid reward paid rollouts for skipping hops.
type Heuristic struct{}

// heuristicFeatures is what Heuristic reports per thought in Result.Raw.
type heuristicFeatures struct {
	Index    int     `json:"index"`
	Tag      string  `json:"tag"`
	Rule     string  `json:"rule"`
	Question float64 `json:"question_share"`
	Action   float64 `json:"action_share,omitempty"`
	Grounded float64 `json:"grounding,omitempty"`
	Answer   float64 `json:"answer_share,omitempty"`
	Penalty  string  `json:"penalty,omitempty"`
	Score    float64 `json:"score"`
}

// Score implements Judge.
func (Heuristic) Score(ctx context.Context, in Input) (Result, error) {
	if err := checkInput(in); err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	question := contentWords(in.Question)
	questionSet := wordSet(question)
	var answer []string
	if a := in.Trajectory.Answer(); a != nil {
		answer = contentWords(a.Text)
	}
	res := Result{Scores: []float64{}, Reasons: []string{}}
	var features []heuristicFeatures
	var latest []string          // content words of the latest tool response
	seenResponse := wordSet(nil) // of every tool response so far
	haveResponse := false
	seenThoughts := map[string]bool{}
	index := 0
	for _, turn := range in.Trajectory.Turns {
		var action []string
		for _, call := range turn.ToolCalls {
			action = append(action, contentWords(toolCallText(call))...)
		}
		latestSet := wordSet(latest)
		for _, think := range turn.Thinks {
			for _, th := range think.Thoughts {
				index++
				words := contentWords(th.Text)
				f := heuristicFeatures{Index: index, Tag: th.Tag, Question: share(question, wordSet(words))}
				wset := wordSet(words)
				namesCall := false // a plan/action naming every word of its turn's tool call
				switch kind := thoughtKind(th.Canonical()); kind {
				case "plan":
					f.Rule = "plan/action: aims at the question (or builds on it and the tool responses) and names the tool call"
					f.Action = f.Question
					if len(action) > 0 {
						f.Action = share(action, wset)
					}
					f.Grounded = share(words, union(questionSet, seenResponse))
					f.Score = 0.2 + 0.5*max(f.Question, f.Grounded) + 0.3*f.Action
					namesCall = len(action) > 0 && f.Action == 1
				case "observe":
					if haveResponse {
						f.Rule = "observation/reflection: grounded in the latest tool response (and the question)"
						f.Grounded = share(words, union(latestSet, questionSet))
						f.Score = 0.2 + 0.8*f.Grounded
					} else {
						f.Rule = "observation/reflection before any tool response: names the question"
						f.Score = 0.2 + 0.4*f.Question
					}
				case "verify":
					f.Rule = "verification: contains the final answer, grounded in tool responses"
					f.Answer = share(answer, wset)
					f.Grounded = share(words, seenResponse)
					f.Score = 0.2 + 0.5*f.Answer + 0.3*f.Grounded
				default:
					f.Rule = "other: names the question, grounded in tool responses"
					f.Grounded = f.Question
					if haveResponse {
						f.Grounded = share(words, seenResponse)
					}
					f.Score = 0.2 + 0.4*f.Question + 0.4*f.Grounded
				}
				normalized := strings.Join(words, " ")
				switch {
				case strings.TrimSpace(th.Text) == "":
					f.Penalty, f.Score = "empty", 0
				case seenThoughts[normalized]:
					f.Penalty, f.Score = "repeats an earlier thought", f.Score/2
				case len(words) < 3 && !namesCall:
					f.Penalty, f.Score = "fewer than 3 content words", f.Score/2
				case !th.Closed:
					f.Penalty, f.Score = "unclosed", f.Score/2
				}
				seenThoughts[normalized] = true
				f.Score = min(1, max(0, f.Score))
				res.Scores = append(res.Scores, f.Score)
				reason := f.Rule
				if f.Penalty != "" {
					reason += "; halved: " + f.Penalty
				}
				res.Reasons = append(res.Reasons, reason)
				features = append(features, f)
			}
		}
		for _, resp := range turn.ToolResponses {
			words := contentWords(resp.Text)
			latest = words
			haveResponse = true
			for _, w := range words {
				seenResponse[w] = true
			}
		}
	}
	raw, err := json.Marshal(map[string]any{"judge": "heuristic-v2", "thoughts": features})
	if err != nil {
		return Result{}, fmt.Errorf("rrm: %w", err)
	}
	res.Raw = string(raw)
	return res, nil
}

// thoughtKind groups tags by what the heuristic checks.
func thoughtKind(tag string) string {
	has := func(parts ...string) bool {
		for _, p := range parts {
			if strings.Contains(tag, p) {
				return true
			}
		}
		return false
	}
	switch {
	case has("VERIF", "CHECK", "CONFIRM"):
		return "verify"
	case has("PLAN", "ACTION", "SEARCH", "QUERY"):
		return "plan"
	case has("OBSERV", "REFLECT", "SUMMAR", "ANALY"):
		return "observe"
	}
	return "other"
}

// toolCallText is what a tool call asks for: its arguments' strings (queries, URLs, query).
func toolCallText(call atom.ToolCall) string {
	var parts []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			parts = append(parts, x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	if call.Args != nil {
		walk(call.Args)
		return strings.Join(parts, " ")
	}
	return call.Raw
}

// share is the fraction of the distinct words of want found in have (0 when want is empty).
func share(want []string, have map[string]bool) float64 {
	distinct := wordSet(want)
	if len(distinct) == 0 {
		return 0
	}
	found := 0
	for w := range distinct {
		if have[w] {
			found++
		}
	}
	return float64(found) / float64(len(distinct))
}

// union is the set of the words of a and b.
func union(a, b map[string]bool) map[string]bool {
	u := make(map[string]bool, len(a)+len(b))
	for w := range a {
		u[w] = true
	}
	for w := range b {
		u[w] = true
	}
	return u
}

func wordSet(words []string) map[string]bool {
	set := make(map[string]bool, len(words))
	for _, w := range words {
		set[w] = true
	}
	return set
}

// contentWords lower-cases s, splits it on anything but letters and digits, and drops stop
// words and one-letter words (digits are kept: years and counts matter).
func contentWords(s string) []string {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := fields[:0]
	for _, f := range fields {
		if stopWords[f] || (len(f) == 1 && !unicode.IsDigit(rune(f[0]))) {
			continue
		}
		out = append(out, f)
	}
	return out
}

var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the and or but if then else of to in on at by for with from as
		is are was were be been being am do does did done have has had having it its this that these those
		there here what which who whom whose when where why how i me my we our you your he him his she her
		they them their not no nor so too very can could should would will shall may might must also
		about into over after before than just only any all each both some such more most other own same
		let lets need needs first next now up out s t
		know knows knew known find finds found search searches searched look looks looking`) {
		m[w] = true
	}
	return m
}()
