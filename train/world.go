package train

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"

	"github.com/atomsearcher/atomsearcher/agent"
	"github.com/atomsearcher/atomsearcher/data"
	"github.com/atomsearcher/atomsearcher/tokenizer"
	"github.com/atomsearcher/atomsearcher/tools"
)

// Environment is what the agent acts in: the questions, a tools registry (web_search over some
// backend), and, for the embedded default, the synthetic world with its expert trajectories.
type Environment struct {
	// World is the synthetic world, nil for a real dataset.
	World *data.World
	// Train, Dev are the questions; Dev is evaluated.
	Train, Dev []data.Example
	// RLTrain are the questions GRPO samples: Train without the questions whose expert
	// trajectories are the SFT data, so that RL does not practise on answers SFT memorized.
	// Empty means Train.
	RLTrain []data.Example
	// Experts are scripted trajectories of the train questions (the SFT data), empty when there
	// are none.
	Experts []data.ExpertTrajectory
	// Tools is the registry the agent calls.
	Tools *tools.Registry
	// Index is the local index behind web_search, when it is local (closed by Close).
	Index *tools.LocalIndex
}

// Close releases the environment's index.
func (e *Environment) Close() error {
	if e.Index != nil {
		return e.Index.Close()
	}
	return nil
}

// BuildSyntheticEnvironment generates the synthetic world of cfg.World, indexes its corpus in
// memory with the local BM25 index, and scripts an expert trajectory for each of the first
// cfg.SFTQuestions train questions (all of them when it is 0 or more than there are), whose
// searches run through that index's web_search (topK results per query); the other train
// questions are RLTrain. A cfg.HastyExperts share of the multi-hop chain questions among them
// (drawn from the world's seed) get data.HastyExpert's trajectory instead of the full one.
// Experts whose tool responses do not hold the facts they quote are dropped.
func BuildSyntheticEnvironment(ctx context.Context, cfg DataConfig, topK int) (*Environment, error) {
	w, err := data.NewWorld(cfg.World)
	if err != nil {
		return nil, fmt.Errorf("train: synthetic world: %w", err)
	}
	passages := w.Passages()
	docs := func(yield func(tools.Document, error) bool) {
		for _, p := range passages {
			if !yield(tools.Document{ID: p.ID, Title: p.Title, URL: p.URL, Text: p.Text}, nil) {
				return
			}
		}
	}
	idx, err := tools.BuildLocalIndex(ctx, "", iter.Seq2[tools.Document, error](docs))
	if err != nil {
		return nil, fmt.Errorf("train: indexing the synthetic corpus: %w", err)
	}
	search := &tools.WebSearch{Searcher: idx, TopK: topK}
	reg, err := tools.NewRegistry(search)
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("train: %w", err)
	}
	train, dev, _, err := w.Questions()
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("train: synthetic questions: %w", err)
	}
	searchFn := func(ctx context.Context, queries []string) (string, error) {
		args, err := json.Marshal(map[string]any{"query": queries})
		if err != nil {
			return "", err
		}
		res, err := search.Call(ctx, args)
		return res.Text, err
	}
	sftPart, rlPart := train, []data.Question(nil)
	if n := cfg.SFTQuestions; n > 0 && n < len(train) {
		sftPart, rlPart = train[:n], train[n:]
	}
	experts, err := scriptExperts(ctx, sftPart, cfg.HastyExperts, cfg.World.Seed, searchFn)
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("train: expert trajectories: %w", err)
	}
	kept := experts[:0]
	for _, e := range experts {
		if e.Grounded() {
			kept = append(kept, e)
		}
	}
	return &Environment{
		World:   w,
		Train:   data.Examples(train),
		RLTrain: data.Examples(rlPart),
		Dev:     data.Examples(dev),
		Experts: kept,
		Tools:   reg,
		Index:   idx,
	}, nil
}

// scriptExperts scripts the expert trajectory of each question: the full one, except for a
// hastyShare of the questions data.HastyExpert can script (round(share*eligible) of them, drawn
// by a permutation seeded from seed), which get the hasty one.
func scriptExperts(ctx context.Context, qs []data.Question, hastyShare float64, seed uint64, search data.SearchFunc) ([]data.ExpertTrajectory, error) {
	var eligible []int
	for i, q := range qs {
		if data.CanBeHasty(q) {
			eligible = append(eligible, i)
		}
	}
	hasty := map[int]bool{}
	n := int(math.Round(hastyShare * float64(len(eligible))))
	perm := rand.New(rand.NewPCG(seed, 0x68617374)).Perm(len(eligible))
	for _, k := range perm[:n] {
		hasty[eligible[k]] = true
	}
	out := make([]data.ExpertTrajectory, 0, len(qs))
	for i, q := range qs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		script := data.Expert
		if hasty[i] {
			script = data.HastyExpert
		}
		t, err := script(ctx, q, search)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// agentVocabularyTexts returns every text the agent of env reads or writes in the embedded
// default: the corpus, the expert trajectories (which include the tool responses) and the
// system prompt with the tool schemas rendered by the chat template.
func agentVocabularyTexts(env *Environment, systemPrompt string) ([]string, error) {
	var texts []string
	for _, p := range env.World.Passages() {
		texts = append(texts, p.Title, p.URL, p.Text)
	}
	for _, e := range env.Experts {
		texts = append(texts, e.Question.Question)
		for _, t := range e.Turns {
			texts = append(texts, t.Assistant, t.ToolResponse)
		}
	}
	for _, q := range env.Dev {
		texts = append(texts, q.Question)
		texts = append(texts, q.Answers...)
	}
	for _, q := range env.Train {
		texts = append(texts, q.Question)
		texts = append(texts, q.Answers...)
	}
	var schemas []json.RawMessage
	for _, s := range env.Tools.Schemas() {
		raw, err := json.Marshal(s)
		if err != nil {
			return nil, err
		}
		schemas = append(schemas, raw)
	}
	rendered, err := tokenizer.RenderChat([]tokenizer.Message{{Role: "system", Content: systemPrompt}, {Role: "user", Content: "q"}},
		tokenizer.ChatOptions{Tools: schemas, AddGenerationPrompt: true})
	if err != nil {
		return nil, err
	}
	texts = append(texts, rendered, "No results.", "Search failed: ")
	return texts, nil
}

// toolCallPieces are multi-character strings of the tool-call and tool-response layout, added
// whole to the WordLevel vocabulary so that a tiny model writes a tool call in a few tokens
// instead of one per JSON character.
var toolCallPieces = []string{
	`{"name": "web_search", "arguments": {"query": ["`,
	`"]}}`,
	`", "`,
	`Results for "`,
	`":`,
	"\n",
}

// thoughtTags are the atomic-thought tags of the expert trajectories, added whole.
var thoughtTags = []string{"PLAN", "ACTION", "OBSERVATION", "REFLECTION", "VERIFICATION", "HYPOTHESIS_TESTING", "RISK_ANALYSIS"}

// SyntheticTokenizer builds the WordLevel tokenizer of the embedded default: every word of the
// world's corpus, questions, expert trajectories and prompt (SplitExact, so decoding gives back the
// exact text and tool-call JSON parses), the ChatML special tokens, the trajectory tags, the
// atomic-thought tags and the tool-call boilerplate as whole tokens.
func SyntheticTokenizer(env *Environment, systemPrompt string) (*tokenizer.Tokenizer, error) {
	if env.World == nil {
		return nil, fmt.Errorf("train: the synthetic tokenizer needs the synthetic world")
	}
	texts, err := agentVocabularyTexts(env, systemPrompt)
	if err != nil {
		return nil, fmt.Errorf("train: tokenizer vocabulary: %w", err)
	}
	added := append([]string{}, tokenizer.AgentTokens...)
	for _, t := range thoughtTags {
		added = append(added, "<"+t+">", "</"+t+">")
	}
	added = append(added, toolCallPieces...)
	cfg := tokenizer.WordLevelConfig{
		SpecialTokens: tokenizer.ChatMLSpecialTokens,
		AddedTokens:   added,
		Split:         tokenizer.SplitSpacePrefixed,
	}
	words, err := tokenizer.VocabularyFromCorpus(texts, cfg, 1)
	if err != nil {
		return nil, fmt.Errorf("train: tokenizer vocabulary: %w", err)
	}
	cfg.Words = words
	tok, err := tokenizer.NewWordLevel(cfg)
	if err != nil {
		return nil, fmt.Errorf("train: tokenizer: %w", err)
	}
	return tok, nil
}

// SyntheticSystemPrompt is the system prompt of the embedded default: the Atom-Searcher
// instruction, shortened for a model with a few hundred thousand parameters (the tool schema is
// still rendered by the chat template).
const SyntheticSystemPrompt = `Answer the question by searching. Think in atomic thoughts inside <think> and </think>, then call web_search inside <tool_call> and </tool_call> or answer inside <answer> and </answer>.`

var _ = agent.DefaultSystemPrompt
