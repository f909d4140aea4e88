package train

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/atomsearcher/atomsearcher/agent"
	"github.com/atomsearcher/atomsearcher/atom"
	"github.com/atomsearcher/atomsearcher/data"
	"github.com/atomsearcher/atomsearcher/grpo"
	"github.com/atomsearcher/atomsearcher/model"
	"github.com/atomsearcher/atomsearcher/reward"
	"github.com/atomsearcher/atomsearcher/rrm"
	"github.com/atomsearcher/atomsearcher/tensor"
	"github.com/atomsearcher/atomsearcher/tokenizer"
	"github.com/atomsearcher/atomsearcher/tools"
)

// Trainer holds what the loops share: the policy and its optimizer, the frozen reference, the
// agent that runs rollouts, the judge and the reward. NewTrainer assembles it from a Config;
// researchers writing their own loop can assemble one by hand and call SFTStep, GRPOStep and
// Evaluate.
type Trainer struct {
	Config    Config
	Env       *Environment
	Model     *model.Model
	Tokenizer *tokenizer.Tokenizer
	Agent     *agent.Agent

	reference  *model.Model
	optimizer  *tensor.Optimizer
	params     []*tensor.Tensor
	padID      int
	judge      rrm.Judge
	scorer     reward.Scorer
	lossConfig grpo.Config
	entropy    grpo.EntropyRegulator
}

// NewTrainer validates cfg and assembles a trainer: the environment (the synthetic world, or the
// dataset files and a search backend), the tokenizer, the policy (from scratch or a checkpoint),
// the reference model (when the KL coefficient is set), the optimizer, the judge and the reward.
func NewTrainer(ctx context.Context, cfg Config) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Threads > 0 {
		tensor.SetNumThreads(cfg.Threads)
	}
	t := &Trainer{Config: cfg}
	env, err := buildEnvironment(ctx, cfg)
	if err != nil {
		return nil, err
	}
	t.Env = env
	ok := false
	defer func() {
		if !ok {
			t.Close()
		}
	}()
	if t.Tokenizer, err = loadTokenizer(cfg, env); err != nil {
		return nil, err
	}
	if t.Model, err = loadPolicy(cfg, t.Tokenizer); err != nil {
		return nil, err
	}
	if err := t.Model.SetRequiresGrad(true); err != nil {
		return nil, err
	}
	t.params = allParameters(t.Model)
	if err := t.newOptimizer(cfg.SFT.LR, cfg.SFT.WeightDecay); err != nil {
		return nil, err
	}
	t.Agent = &agent.Agent{Tokenizer: t.Tokenizer, Tools: env.Tools, Config: agent.Config{
		SystemPrompt:      cfg.Agent.SystemPrompt,
		Date:              "2025-01-31",
		MaxTurns:          cfg.Agent.MaxTurns,
		MaxResponseTokens: cfg.Agent.MaxResponseTokens,
		MaxTurnTokens:     cfg.Agent.MaxTurnTokens,
		OmitToolSchemas:   cfg.Model.Tiny != nil,
		// In process, one generation call over many rows costs little more than one over a
		// few: batch 16 questions' rollouts per call, two calls in flight (one per core).
		BatchGroups: 16,
		Concurrency: 2,
	}}
	if cfg.Model.Tiny != nil && cfg.Agent.SystemPrompt == "" {
		t.Agent.Config.SystemPrompt = SyntheticSystemPrompt
	}
	t.Agent.Generator = &agent.ModelGenerator{Model: t.Model, Tokenizer: t.Tokenizer}
	if err := t.setupReward(); err != nil {
		return nil, err
	}
	ok = true
	return t, nil
}

// newOptimizer (re)creates AdamW over the policy's parameters.
func (t *Trainer) newOptimizer(lr, weightDecay float64) error {
	if t.optimizer != nil {
		t.optimizer.Close()
	}
	opt, err := tensor.NewAdamW(parameterGroups(t.Model), tensor.AdamWOptions{LR: lr, WeightDecay: weightDecay})
	if err != nil {
		return fmt.Errorf("train: optimizer: %w", err)
	}
	t.optimizer = opt
	return nil
}

func (t *Trainer) setupReward() error {
	cfg := t.Config
	metric := reward.MetricF1
	if cfg.Reward.Metric == "em" {
		metric = reward.MetricEM
	}
	t.scorer = reward.Scorer{Outcome: reward.Outcome{Metric: metric, Atom: atom.Options{PrefilledThink: true}}}
	if cfg.Reward.Mode == "hybrid" {
		steps := max(cfg.GRPO.Steps, 1)
		var sched reward.Scheduler
		switch cfg.Reward.Scheduler {
		case "linear":
			sched = reward.LinearDecay{Start: cfg.Reward.AlphaStart, TotalSteps: steps}
		case "constant":
			sched = reward.Constant{Value: cfg.Reward.AlphaStart}
		case "cosine":
			sched = reward.Cosine{Start: cfg.Reward.AlphaStart, End: 0, TotalSteps: steps}
		}
		t.scorer.Hybrid = reward.Hybrid{Scheduler: sched}
		switch cfg.Reward.Judge {
		case "heuristic":
			t.judge = rrm.Heuristic{}
		case "llm":
			j, err := rrm.NewLLMJudge(rrm.LLMJudgeConfig{Client: rrm.ClientConfig{BaseURL: cfg.Reward.JudgeURL, Model: cfg.Reward.JudgeModel}})
			if err != nil {
				return fmt.Errorf("train: judge: %w", err)
			}
			t.judge = j
		}
	}
	agg, err := aggregationOf(cfg.GRPO.Aggregation)
	if err != nil {
		return err
	}
	t.lossConfig = grpo.Config{ClipLow: cfg.GRPO.ClipRatio, ClipHigh: cfg.GRPO.ClipRatio, Agg: agg, KL: grpo.K3, KLCoef: cfg.GRPO.KLCoef}
	if cfg.GRPO.KLCoef == 0 {
		t.lossConfig.KL = grpo.KLNone
		t.lossConfig.KLCoef = grpo.Off
	}
	switch cfg.GRPO.Entropy {
	case "swerm":
		target := cfg.GRPO.SWERMTarget
		if target == 0 {
			target = 0.3
		}
		sw, err := grpo.NewSWERM(grpo.SWERMConfig{Target: target, Init: cfg.GRPO.EntropyCoef, Max: max(0.01, cfg.GRPO.EntropyCoef)})
		if err != nil {
			return fmt.Errorf("train: entropy regulation: %w", err)
		}
		t.entropy = sw
	default:
		t.entropy = grpo.FixedEntropy(cfg.GRPO.EntropyCoef)
	}
	return nil
}

// Close frees the models, the optimizer and the environment.
func (t *Trainer) Close() {
	if t.optimizer != nil {
		t.optimizer.Close()
		t.optimizer = nil
	}
	if t.reference != nil {
		t.reference.Free()
		t.reference = nil
	}
	if t.Model != nil {
		t.Model.Free()
		t.Model = nil
	}
	if t.Env != nil {
		t.Env.Close()
	}
}

// freezeReference copies the current policy into the frozen reference model (used by the KL term).
func (t *Trainer) freezeReference() error {
	if t.Config.GRPO.KLCoef == 0 {
		return nil
	}
	if t.reference != nil {
		t.reference.Free()
	}
	dir, err := os.MkdirTemp("", "atomsearcher-ref-*")
	if err != nil {
		return fmt.Errorf("train: reference model: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := t.Model.Save(dir, model.SaveOptions{}); err != nil {
		return fmt.Errorf("train: reference model: %w", err)
	}
	ref, err := model.Load(dir, model.LoadOptions{Device: t.Model.Device(), DType: t.Model.DType()})
	if err != nil {
		return fmt.Errorf("train: reference model: %w", err)
	}
	t.reference = ref
	return nil
}

func buildEnvironment(ctx context.Context, cfg Config) (*Environment, error) {
	if cfg.Data.Train == "synthetic" {
		return BuildSyntheticEnvironment(ctx, cfg.Data, cfg.Agent.TopK)
	}
	train, err := data.ReadFile(cfg.Data.Train)
	if err != nil {
		return nil, fmt.Errorf("train: data.train: %w", err)
	}
	dev, err := data.ReadFile(cfg.Data.Dev)
	if err != nil {
		return nil, fmt.Errorf("train: data.dev: %w", err)
	}
	env := &Environment{Train: train, Dev: dev}
	var searcher tools.Searcher
	switch cfg.Agent.Search {
	case "local":
		idx, err := tools.OpenLocalIndex(cfg.Agent.Index)
		if err != nil {
			return nil, fmt.Errorf("train: agent.index: %w", err)
		}
		env.Index = idx
		searcher = idx
	case "serper":
		key := os.Getenv("SERPER_API_KEY")
		if key == "" {
			return nil, fmt.Errorf("train: agent.search serper: SERPER_API_KEY is not set")
		}
		searcher = &tools.Serper{APIKey: key, Endpoint: cfg.Agent.URL}
	case "searxng":
		searcher = &tools.SearXNG{BaseURL: cfg.Agent.URL}
	case "elasticsearch":
		searcher = &tools.Elasticsearch{BaseURL: cfg.Agent.URL, Index: "corpus"}
	}
	reg, err := tools.NewRegistry(&tools.WebSearch{Searcher: searcher, TopK: cfg.Agent.TopK})
	if err != nil {
		env.Close()
		return nil, err
	}
	env.Tools = reg
	return env, nil
}

func loadTokenizer(cfg Config, env *Environment) (*tokenizer.Tokenizer, error) {
	path := cfg.Model.Tokenizer
	if path == "" && cfg.Model.Dir != "" {
		path = filepath.Join(cfg.Model.Dir, "tokenizer.json")
	}
	if path != "" {
		tok, err := tokenizer.Load(path)
		if err != nil {
			return nil, fmt.Errorf("train: model.tokenizer: %w", err)
		}
		return tok, nil
	}
	system := cfg.Agent.SystemPrompt
	if system == "" {
		system = SyntheticSystemPrompt
	}
	return SyntheticTokenizer(env, system)
}

func loadPolicy(cfg Config, tok *tokenizer.Tokenizer) (*model.Model, error) {
	if cfg.Model.Dir != "" {
		m, err := model.Load(cfg.Model.Dir, model.LoadOptions{})
		if err != nil {
			return nil, fmt.Errorf("train: model.dir: %w", err)
		}
		return m, nil
	}
	shape := *cfg.Model.Tiny
	shape.VocabSize = tok.VocabSize()
	m, err := model.New(shape, model.InitOptions{Seed: cfg.Seed})
	if err != nil {
		return nil, fmt.Errorf("train: model.tiny: %w", err)
	}
	return m, nil
}
