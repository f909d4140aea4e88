package agent_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atomsearcher/atomsearcher/agent"
	"github.com/atomsearcher/atomsearcher/data"
	"github.com/atomsearcher/atomsearcher/tokenizer"
	"github.com/atomsearcher/atomsearcher/tools"
)

var (
	tokOnce sync.Once
	tok     *tokenizer.Tokenizer
)

func qwen(t *testing.T) *tokenizer.Tokenizer {
	tokOnce.Do(func() {
		f, err := os.Open("../tokenizer/testdata/qwen3-tokenizer.json.gz") // shared with the tokenizer goldens
		require.NoError(t, err)
		defer f.Close()
		zr, err := gzip.NewReader(f)
		require.NoError(t, err)
		raw, err := io.ReadAll(zr)
		require.NoError(t, err)
		tok, err = tokenizer.FromJSON(raw)
		require.NoError(t, err)
	})
	require.NotNil(t, tok)
	return tok
}

// logProbOf is the fake policy's log-prob of a token: a function of the id only, never 0.
func logProbOf(id int) float64 { return -0.01 - float64(id%97)/100 }

// scripted is a fake Generator: the rollout whose text so far contains key (a question or an
// earlier turn) gets the next of its turns. It records what it generated.
type scripted struct {
	t       *testing.T
	mu      sync.Mutex
	turns   map[string][]string // key → turn texts
	served  map[string]int
	gen     [][]int // every completion's ids, in order
	calls   int
	block   chan struct{} // when set, Generate waits on it or the context
	maxSeen []int
}

func (s *scripted) Generate(ctx context.Context, reqs []agent.Request, p agent.SamplingParams) ([]agent.Completion, error) {
	if s.block != nil {
		select {
		case <-s.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	out := make([]agent.Completion, len(reqs))
	for i, r := range reqs {
		text, err := qwen(s.t).Decode(r.IDs)
		require.NoError(s.t, err)
		key := ""
		for k := range s.turns {
			if strings.Contains(text, k) && len(k) > len(key) && s.served[k] < len(s.turns[k]) {
				key = k
			}
		}
		require.NotEmpty(s.t, key, "no script for %q", text)
		turn := s.turns[key][s.served[key]]
		s.served[key]++
		ids := qwen(s.t).EncodeIDs(turn)
		finish := agent.FinishStop
		if len(ids) > r.MaxNewTokens {
			ids, finish = ids[:r.MaxNewTokens], agent.FinishLength
		}
		s.maxSeen = append(s.maxSeen, r.MaxNewTokens)
		lp := make([]float64, len(ids))
		for j, id := range ids {
			lp[j] = logProbOf(id)
		}
		s.gen = append(s.gen, ids)
		out[i] = agent.Completion{IDs: ids, LogProbs: lp, Finish: finish}
	}
	return out, nil
}

// fakeSearch is a web_search tool: "fail" fails, anything else returns a fixed text.
type fakeSearch struct{}

func (fakeSearch) Name() string { return "web_search" }
func (fakeSearch) Schema() tools.Schema {
	return tools.Schema{Type: "function", Function: tools.FunctionSchema{Name: "web_search", Description: "search", Parameters: json.RawMessage(`{"type":"object"}`)}}
}
func (fakeSearch) Call(ctx context.Context, args json.RawMessage) (tools.Result, error) {
	var a struct{ Query []string }
	if err := json.Unmarshal(args, &a); err != nil {
		return tools.Result{}, &tools.ArgumentError{Tool: "web_search", Msg: "bad"}
	}
	if len(a.Query) > 0 && a.Query[0] == "fail" {
		return tools.Result{}, errors.New("backend down")
	}
	return tools.Result{Text: "Results for " + strings.Join(a.Query, ",") + ": Tamelu is a city in Vosaria."}, nil
}

func call(q string) string {
	return "<tool_call>\n{\"name\": \"web_search\", \"arguments\": {\"query\": [\"" + q + "\"]}}\n</tool_call>"
}

func newAgent(t *testing.T, g agent.Generator, cfg agent.Config) *agent.Agent {
	reg, err := tools.NewRegistry(fakeSearch{})
	require.NoError(t, err)
	cfg.Date = "2025-01-31"
	return &agent.Agent{Tokenizer: qwen(t), Generator: g, Tools: reg, Config: cfg}
}

// checkAlignment verifies, token by token, that the mask is 1 exactly on the generated ids (in
// order, as contiguous runs) and that log-probs line up with them.
func checkAlignment(t *testing.T, r agent.Rollout, generated [][]int) {
	t.Helper()
	require.Len(t, r.Mask, len(r.ResponseIDs))
	require.Len(t, r.LogProbs, len(r.ResponseIDs))
	var runs [][]int
	for i := 0; i < len(r.Mask); i++ {
		if r.Mask[i] == 1 && (i == 0 || r.Mask[i-1] == 0) {
			runs = append(runs, nil)
		}
		if r.Mask[i] == 1 {
			runs[len(runs)-1] = append(runs[len(runs)-1], r.ResponseIDs[i])
			assert.Equal(t, logProbOf(r.ResponseIDs[i]), r.LogProbs[i], "token %d", i)
		} else {
			assert.Zero(t, r.LogProbs[i], "token %d", i)
		}
	}
	require.Equal(t, generated, runs)
}

func TestMultiTurnMasks(t *testing.T) {
	turn0 := "\n<PLAN>Find the city.</PLAN>\n</think>\n" + call("Tamelu")
	turn1 := "<think>\n<OBSERVATION>Tamelu is a city in Vosaria.</OBSERVATION>\n</think>\n" + call("fail")
	turn2 := "<think>\n<VERIFICATION>Done.</VERIFICATION>\n</think>\n<answer>Vosaria</answer>"
	g := &scripted{t: t, turns: map[string][]string{"Where is Tamelu?": {turn0, turn1, turn2}}, served: map[string]int{}}
	a := newAgent(t, g, agent.Config{})
	rs, err := a.RunGroup(context.Background(), "Where is Tamelu?", 1)
	require.NoError(t, err)
	r := rs[0]
	assert.Equal(t, agent.StopAnswer, r.Stop)
	assert.Equal(t, "Vosaria", r.Answer)
	assert.Equal(t, 3, r.Turns)
	checkAlignment(t, r, g.gen)
	// The response text is the Qwen ChatML layout, written out by hand here.
	want := turn0 + "<|im_end|>\n<|im_start|>user\n<tool_response>\nResults for Tamelu: Tamelu is a city in Vosaria.\n</tool_response><|im_end|>\n<|im_start|>assistant\n" +
		turn1 + "<|im_end|>\n<|im_start|>user\n<tool_response>\nError: backend down\n</tool_response><|im_end|>\n<|im_start|>assistant\n" +
		turn2 + "<|im_end|>\n"
	assert.Equal(t, want, r.Text)
	prompt, err := qwen(t).Decode(r.PromptIDs)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(prompt, "<|im_start|>system\nYou are a deep research assistant."), prompt)
	assert.Contains(t, prompt, "Today is 2025-01-31.")
	assert.Contains(t, prompt, "<tools>\n{\"type\": \"function\", \"function\": {\"name\": \"web_search\"")
	assert.True(t, strings.HasSuffix(prompt, "<|im_start|>user\nWhere is Tamelu?<|im_end|>\n<|im_start|>assistant\n<think>"), prompt)
	require.Len(t, r.Tools, 2)
	assert.Equal(t, "backend down", r.Tools[1].Error)
	assert.True(t, r.Parsed.OK(), "%v", r.Parsed.Problems)
	assert.Len(t, r.Parsed.Thoughts(), 3)
}

func TestGroupBatchingAndFailures(t *testing.T) {
	// Three samples diverge at their first turn; one fails its tool, one answers at once.
	g := &scripted{t: t, served: map[string]int{}, turns: map[string][]string{
		"Q?":                        {"\n</think>\n" + call("a"), "\n</think>\n" + call("fail"), "\n</think>\n<answer>x</answer>"},
		call("a") + "<|im_end|>":    {"<think>\n</think>\n<answer>A</answer>"},
		call("fail") + "<|im_end|>": {"<think>\n</think>\n<answer>F</answer>"},
	}}
	a := newAgent(t, g, agent.Config{})
	out, err := a.Run(context.Background(), []string{"Q?"}, 3)
	require.NoError(t, err)
	require.Len(t, out[0], 3)
	assert.Equal(t, 2, g.calls, "turns of one group are batched")
	answers := []string{}
	for s, r := range out[0] {
		assert.Equal(t, s, r.Sample)
		assert.Equal(t, agent.StopAnswer, r.Stop)
		answers = append(answers, r.Answer)
	}
	assert.Equal(t, []string{"A", "F", "x"}, answers)
}

func TestBudgetTruncation(t *testing.T) {
	long := "\n" + strings.Repeat("word ", 200) + "</think>\n<answer>x</answer>"
	g := &scripted{t: t, turns: map[string][]string{"Q?": {long}}, served: map[string]int{}}
	a := newAgent(t, g, agent.Config{MaxResponseTokens: 50})
	rs, err := a.RunGroup(context.Background(), "Q?", 1)
	require.NoError(t, err)
	r := rs[0]
	assert.Equal(t, agent.StopBudget, r.Stop)
	assert.Equal(t, []int{50}, g.maxSeen)
	checkAlignment(t, r, g.gen)
	assert.Len(t, g.gen[0], 50)
	// Generated tokens plus the template's closing <|im_end|>\n.
	assert.Len(t, r.ResponseIDs, 52)
	assert.Empty(t, r.Answer)

	// A tool response that fills the budget ends the rollout before the next turn.
	g2 := &scripted{t: t, turns: map[string][]string{"Q?": {"\n</think>\n" + call("a")}}, served: map[string]int{}}
	rs, err = newAgent(t, g2, agent.Config{MaxResponseTokens: 40}).RunGroup(context.Background(), "Q?", 1)
	require.NoError(t, err)
	assert.Equal(t, agent.StopBudget, rs[0].Stop)
	assert.Equal(t, 1, g2.calls)
	checkAlignment(t, rs[0], g2.gen)
}

func TestMalformedToolCall(t *testing.T) {
	bad := "\n</think>\n<tool_call>\n{\"name\": \"web_search\", \"arguments\": \n</tool_call>"
	unknown := "\n</think>\n<tool_call>\n{\"name\": \"calculator\", \"arguments\": {}}\n</tool_call>"
	for _, c := range []struct {
		turn string
	}{{bad}, {unknown}} {
		g := &scripted{t: t, turns: map[string][]string{"Q?": {c.turn}}, served: map[string]int{}}
		rs, err := newAgent(t, g, agent.Config{}).RunGroup(context.Background(), "Q?", 1)
		require.NoError(t, err)
		assert.Equal(t, agent.StopMalformed, rs[0].Stop)
		checkAlignment(t, rs[0], g.gen)

		g = &scripted{t: t, served: map[string]int{}, turns: map[string][]string{
			"Q?":                  {c.turn},
			"malformed tool call": {"<think>\n</think>\n<answer>ok</answer>"},
		}}
		rs, err = newAgent(t, g, agent.Config{Malformed: agent.ReplyOnMalformed}).RunGroup(context.Background(), "Q?", 1)
		require.NoError(t, err)
		assert.Equal(t, agent.StopAnswer, rs[0].Stop)
		require.Len(t, rs[0].Tools, 1)
		assert.Contains(t, rs[0].Tools[0].Response, "Error: malformed tool call")
		checkAlignment(t, rs[0], g.gen)
	}
}

func TestMaxTurnsAndEOS(t *testing.T) {
	turns := []string{}
	for range 5 {
		turns = append(turns, "\n</think>\n"+call("a"))
	}
	g := &scripted{t: t, turns: map[string][]string{"Q?": turns}, served: map[string]int{}}
	rs, err := newAgent(t, g, agent.Config{MaxTurns: 3}).RunGroup(context.Background(), "Q?", 1)
	require.NoError(t, err)
	assert.Equal(t, agent.StopMaxTurns, rs[0].Stop)
	assert.Equal(t, 3, rs[0].Turns)
	checkAlignment(t, rs[0], g.gen)

	// The policy closing its turn with <|im_end|> and no call or answer: EOS, the <|im_end|> in
	// the mask (it was sampled).
	g = &scripted{t: t, turns: map[string][]string{"Q?": {"\nhmm</think>\nno idea<|im_end|>"}}, served: map[string]int{}}
	rs, err = newAgent(t, g, agent.Config{}).RunGroup(context.Background(), "Q?", 1)
	require.NoError(t, err)
	assert.Equal(t, agent.StopEOS, rs[0].Stop)
	checkAlignment(t, rs[0], g.gen)
	assert.Equal(t, g.gen[0], rs[0].ResponseIDs)
}

func TestCancellation(t *testing.T) {
	g := &scripted{t: t, turns: map[string][]string{}, served: map[string]int{}, block: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := newAgent(t, g, agent.Config{}).Run(ctx, []string{"a", "b"}, 2)
		done <- err
	}()
	cancel()
	err := <-done
	assert.ErrorIs(t, err, context.Canceled)
}

func TestCancellationKeepsPartialRollouts(t *testing.T) {
	// The first turn calls a tool; the context is canceled during the second turn's generation.
	// Run returns every rollout, cut short with StopCanceled, holding what was generated.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := "\n<PLAN>look it up</PLAN>\n</think>\n" + call("Tamelu") + "<|im_end|>"
	var gen [][]int
	calls := 0
	g := generatorFunc(func(ctx context.Context, reqs []agent.Request, p agent.SamplingParams) ([]agent.Completion, error) {
		calls++
		if calls > 1 {
			cancel()
			return nil, fmt.Errorf("generator stopped: %w", ctx.Err())
		}
		out := make([]agent.Completion, len(reqs))
		for i := range reqs {
			ids := qwen(t).EncodeIDs(first)
			lps := make([]float64, len(ids))
			for j, id := range ids {
				lps[j] = logProbOf(id)
			}
			gen = append(gen, ids)
			out[i] = agent.Completion{IDs: ids, LogProbs: lps, Finish: agent.FinishStop}
		}
		return out, nil
	})
	groups, err := newAgent(t, g, agent.Config{BatchGroups: 2}).Run(ctx, []string{"a?", "b?"}, 2)
	require.ErrorIs(t, err, context.Canceled)
	require.Len(t, groups, 2)
	for qi, group := range groups {
		require.Len(t, group, 2, "question %d", qi)
		for _, r := range group {
			assert.Equal(t, agent.StopCanceled, r.Stop)
			assert.Equal(t, 1, r.Turns)
			assert.Contains(t, r.Text, "look it up")
			require.Len(t, r.Tools, 1)
			assert.Contains(t, r.Tools[0].Response, "Tamelu is a city")
			checkAlignment(t, r, gen[:1])
		}
	}

	// A context canceled before the first turn: every rollout holds its prompt only.
	canceled, stop := context.WithCancel(context.Background())
	stop()
	groups, err = newAgent(t, g, agent.Config{}).Run(canceled, []string{"a?"}, 3)
	require.ErrorIs(t, err, context.Canceled)
	require.Len(t, groups, 1)
	for _, r := range groups[0] {
		assert.Equal(t, agent.StopCanceled, r.Stop)
		assert.NotEmpty(t, r.PromptIDs)
		assert.NotContains(t, r.Mask, 1, "nothing was generated")
	}
}

func TestBadInputs(t *testing.T) {
	g := &scripted{t: t, turns: map[string][]string{}, served: map[string]int{}}
	_, err := newAgent(t, g, agent.Config{}).RunGroup(context.Background(), "Q?", 0)
	assert.ErrorContains(t, err, "group size")
	_, err = (&agent.Agent{Tokenizer: qwen(t)}).RunGroup(context.Background(), "Q?", 1)
	assert.ErrorContains(t, err, "no generator")
	_, err = newAgent(t, g, agent.Config{SystemPrompt: "{{.Nope}}"}).RunGroup(context.Background(), "Q?", 1)
	assert.ErrorContains(t, err, "system prompt")
	bad := generatorFunc(func(ctx context.Context, reqs []agent.Request, p agent.SamplingParams) ([]agent.Completion, error) {
		return []agent.Completion{{IDs: []int{1, 2}, LogProbs: []float64{0}}}, nil
	})
	_, err = newAgent(t, bad, agent.Config{}).RunGroup(context.Background(), "Q?", 1)
	assert.ErrorContains(t, err, "log-probs")
	short := generatorFunc(func(ctx context.Context, reqs []agent.Request, p agent.SamplingParams) ([]agent.Completion, error) {
		return nil, nil
	})
	_, err = newAgent(t, short, agent.Config{}).RunGroup(context.Background(), "Q?", 2)
	assert.ErrorContains(t, err, "0 completions for 2 requests")
	failing := generatorFunc(func(ctx context.Context, reqs []agent.Request, p agent.SamplingParams) ([]agent.Completion, error) {
		return nil, errors.New("server down")
	})
	_, err = newAgent(t, failing, agent.Config{}).RunGroup(context.Background(), "Q?", 2)
	assert.ErrorContains(t, err, "server down")
}

type generatorFunc func(ctx context.Context, reqs []agent.Request, p agent.SamplingParams) ([]agent.Completion, error)

func (f generatorFunc) Generate(ctx context.Context, reqs []agent.Request, p agent.SamplingParams) ([]agent.Completion, error) {
	return f(ctx, reqs, p)
}

// An expert trajectory becomes the same structure a rollout of the same text would.
func TestFromExpertMatchesRollout(t *testing.T) {
	w, err := data.NewWorld(data.WorldConfig{Seed: 1, People: 30, Films: 10, Cities: 10, Countries: 3, Organizations: 5, TrainQuestions: 50, DevQuestions: 1, TestQuestions: 1})
	require.NoError(t, err)
	train, _, _, err := w.Questions()
	require.NoError(t, err)
	var q data.Question
	for _, c := range train {
		if c.Hops == 2 {
			q = c
			break
		}
	}
	e, err := data.Expert(context.Background(), q, w.Search)
	require.NoError(t, err)
	reg, err := tools.NewRegistry(searchTool{w})
	require.NoError(t, err)
	a := &agent.Agent{Tokenizer: qwen(t), Tools: reg, Config: agent.Config{Date: "2025-01-31"}}
	sft, err := a.FromExpert(e)
	require.NoError(t, err)
	assert.Equal(t, agent.StopAnswer, sft.Stop)
	assert.Equal(t, q.Answers[0], sft.Answer)
	assert.True(t, sft.Parsed.OK(), "%v", sft.Parsed.Problems)

	// Replay the expert's turns through the rollout loop with a scripted generator.
	turns := map[string][]string{q.Question: {strings.TrimPrefix(e.Turns[0].Assistant, "<think>")}}
	for k := 1; k < len(e.Turns); k++ {
		turns[e.Turns[k-1].Assistant[len(e.Turns[k-1].Assistant)-40:]+"<|im_end|>"] = []string{e.Turns[k].Assistant}
	}
	g := &scripted{t: t, turns: turns, served: map[string]int{}}
	a.Generator = g
	rs, err := a.RunGroup(context.Background(), q.Question, 1)
	require.NoError(t, err)
	r := rs[0]
	assert.Equal(t, r.PromptIDs, sft.PromptIDs)
	assert.Equal(t, r.ResponseIDs, sft.ResponseIDs)
	assert.Equal(t, r.Mask, sft.Mask)
	assert.Equal(t, r.Text, sft.Text)
	for _, lp := range sft.LogProbs {
		assert.Zero(t, lp)
	}
	assert.False(t, math.IsNaN(r.LogProbs[len(r.LogProbs)-3]))

	_, err = a.FromExpert(data.ExpertTrajectory{Question: q, Turns: []data.ExpertTurn{{Assistant: "no think"}}})
	assert.ErrorContains(t, err, "pre-filled")
}

// searchTool serves web_search from the world, as the expert saw it.
type searchTool struct{ w *data.World }

func (searchTool) Name() string         { return "web_search" }
func (searchTool) Schema() tools.Schema { return fakeSearch{}.Schema() }
func (s searchTool) Call(ctx context.Context, args json.RawMessage) (tools.Result, error) {
	var a struct{ Query []string }
	if err := json.Unmarshal(args, &a); err != nil {
		return tools.Result{}, err
	}
	text, err := s.w.Search(ctx, a.Query)
	return tools.Result{Text: text}, err
}

func TestBatchGroupsShareGenerationCalls(t *testing.T) {
	for _, c := range []struct {
		batchGroups, wantCalls int
	}{{1, 4}, {2, 3}, {3, 2}, {10, 2}} {
		g := &scripted{t: t, served: map[string]int{}, turns: map[string][]string{
			"Q1?": {"\n</think>\n" + call("a"), "\n</think>\n" + call("a")},
			"Q2?": {"\n</think>\n<answer>two</answer>", "\n</think>\n<answer>two</answer>"},
			"Q3?": {"\n</think>\n<answer>three</answer>", "\n</think>\n<answer>three</answer>"},
			"Q1?<|im_end|>\n<|im_start|>assistant\n<think>\n</think>\n" + call("a") + "<|im_end|>": {"<think>\n</think>\n<answer>one</answer>", "<think>\n</think>\n<answer>one</answer>"},
		}}
		a := newAgent(t, g, agent.Config{BatchGroups: c.batchGroups, Concurrency: 1})
		out, err := a.Run(context.Background(), []string{"Q1?", "Q2?", "Q3?"}, 2)
		require.NoError(t, err, "batch groups %d", c.batchGroups)
		assert.Equal(t, c.wantCalls, g.calls, "batch groups %d", c.batchGroups)
		for q, want := range []string{"one", "two", "three"} {
			require.Len(t, out[q], 2)
			for s, r := range out[q] {
				assert.Equal(t, q, r.Group)
				assert.Equal(t, s, r.Sample)
				assert.Equal(t, want, r.Answer, "batch groups %d, question %d", c.batchGroups, q)
			}
		}
	}
}
