package train

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/atomsearcher/atomsearcher/data"
	"github.com/atomsearcher/atomsearcher/model"
)

// Config is a whole training run: the embedded default when every field is zero (see Default).
// Fields are JSON, so a run is reproducible from its config.json.
type Config struct {
	// Seed seeds everything: the world, the model's initialization, question sampling and
	// generation (per step, so a resumed run samples what the uninterrupted one did).
	Seed uint64 `json:"seed"`
	// Out is the run directory.
	Out string `json:"out"`

	Model  ModelConfig  `json:"model"`
	Data   DataConfig   `json:"data"`
	Agent  AgentConfig  `json:"agent"`
	Reward RewardConfig `json:"reward"`
	SFT    SFTConfig    `json:"sft"`
	GRPO   GRPOConfig   `json:"grpo"`
	Eval   EvalConfig   `json:"eval"`
	// CheckpointEvery saves a checkpoint every N steps of each phase (0: at the end of each phase
	// only); KeepCheckpoints keeps the newest N (0 means 2).
	CheckpointEvery int `json:"checkpoint_every"`
	KeepCheckpoints int `json:"keep_checkpoints"`
	// Threads sets libtorch's intra-op threads (0: libtorch's default).
	Threads int `json:"threads"`
}

// ModelConfig chooses the policy: a Hugging Face checkpoint directory, or a Qwen2-architecture
// model made from scratch with Tiny's shape (its vocabulary size is the tokenizer's).
type ModelConfig struct {
	Dir  string        `json:"dir,omitempty"`
	Tiny *model.Config `json:"tiny,omitempty"`
	// Tokenizer is a tokenizer.json; empty with Dir means Dir/tokenizer.json, and for a tiny
	// model on the synthetic world a WordLevel tokenizer built from the world.
	Tokenizer string `json:"tokenizer,omitempty"`
}

// DataConfig chooses the questions: the synthetic world (Train == "synthetic") or dataset files
// (verl parquet or JSONL).
type DataConfig struct {
	Train string           `json:"train"`
	Dev   string           `json:"dev,omitempty"`
	World data.WorldConfig `json:"world"`
	// SFTQuestions is, for the synthetic world, how many train questions have their expert
	// trajectories in the SFT data; GRPO samples from the others (0: every question serves
	// both).
	SFTQuestions int `json:"sft_questions"`
	// HastyExperts is, for the synthetic world, the share in [0, 1] of the multi-hop chain
	// questions among the SFT ones whose expert trajectory is data.HastyExpert's: it answers
	// after its first search with what that search found instead of following the remaining
	// hops. Such demonstrations teach the format but not when to stop searching; the reward
	// teaches that (0: every SFT trajectory is the full expert's).
	HastyExperts float64 `json:"hasty_experts"`
}

// AgentConfig configures rollouts.
type AgentConfig struct {
	// Search is "local" (the local index: the synthetic world's corpus, or Index), "serper",
	// "searxng" or "elasticsearch" (URL, and SERPER_API_KEY for serper).
	Search string `json:"search"`
	Index  string `json:"index,omitempty"`
	URL    string `json:"url,omitempty"`
	TopK   int    `json:"top_k"`
	// MaxTurns and MaxResponseTokens bound a rollout; MaxTurnTokens one generation.
	MaxTurns          int `json:"max_turns"`
	MaxResponseTokens int `json:"max_response_tokens"`
	MaxTurnTokens     int `json:"max_turn_tokens"`
	// SystemPrompt overrides the system prompt template.
	SystemPrompt string `json:"system_prompt,omitempty"`
}

// RewardConfig configures the reward.
type RewardConfig struct {
	// Mode is "hybrid" (Atom-Searcher) or "outcome" (DeepResearcher: F1 only).
	Mode string `json:"mode"`
	// Metric is "f1" or "em".
	Metric string `json:"metric"`
	// Judge is "heuristic" (the offline lexical proxy) or "llm" (an OpenAI-compatible server:
	// JudgeURL, JudgeModel, OPENAI_API_KEY).
	Judge      string `json:"judge"`
	JudgeURL   string `json:"judge_url,omitempty"`
	JudgeModel string `json:"judge_model,omitempty"`
	// Scheduler is the alpha schedule: "linear" (alpha = AlphaStart*(1-T/T_max)), "constant",
	// "cosine".
	Scheduler  string  `json:"scheduler"`
	AlphaStart float64 `json:"alpha_start"`
}

// SFTConfig configures supervised fine-tuning on expert trajectories.
type SFTConfig struct {
	Steps int `json:"steps"`
	// Batch sequences per optimizer step, processed in micro-batches of MicroBatch sequences.
	Batch      int     `json:"batch"`
	MicroBatch int     `json:"micro_batch"`
	LR         float64 `json:"lr"`
	Warmup     int     `json:"warmup"`
	// LRSchedule is "constant" or "cosine".
	LRSchedule  string  `json:"lr_schedule"`
	ClipNorm    float64 `json:"clip_norm"`
	WeightDecay float64 `json:"weight_decay"`
	// Pack packs several sequences into one row (no padding across them).
	Pack bool `json:"pack"`
}

// GRPOConfig configures the RL phase.
type GRPOConfig struct {
	Steps int `json:"steps"`
	// Questions per step, Group rollouts each.
	Questions  int `json:"questions"`
	Group      int `json:"group"`
	MicroBatch int `json:"micro_batch"`
	// MiniBatches splits each step's rollouts into this many optimizer steps (whole groups
	// each; 0 or 1: one step), verl's ppo_mini_batch_size.
	MiniBatches int     `json:"mini_batches"`
	LR          float64 `json:"lr"`
	Warmup      int     `json:"warmup"`
	LRSchedule  string  `json:"lr_schedule"`
	ClipNorm    float64 `json:"clip_norm"`
	// Temperature of sampling (1 in the recipe).
	Temperature float64 `json:"temperature"`
	// ClipRatio is the PPO clip (0.2); KLCoef the k3 KL coefficient (0 skips the reference
	// model); EntropyCoef the starting entropy coefficient.
	ClipRatio   float64 `json:"clip_ratio"`
	KLCoef      float64 `json:"kl_coef"`
	EntropyCoef float64 `json:"entropy_coef"`
	// Entropy is the entropy regulation: "fixed" or "swerm" (with SWERMTarget).
	Entropy     string  `json:"entropy"`
	SWERMTarget float64 `json:"swerm_target"`
	// Aggregation is the loss aggregation (token-mean, seq-mean-token-mean, ...).
	Aggregation string `json:"aggregation"`
}

// EvalConfig configures evaluation on the dev questions (greedy decoding).
type EvalConfig struct {
	// Every evaluates every N GRPO steps (0: before and after GRPO only).
	Every int `json:"every"`
	// Questions bounds the dev questions evaluated (0: all).
	Questions int `json:"questions"`
}

// Default returns the embedded default: a tiny Qwen2-architecture model trained from scratch on
// the synthetic world with a WordLevel tokenizer, SFT on expert trajectories (60% of the
// multi-hop ones hasty: see the package doc) then GRPO with the hybrid reward (heuristic RRM,
// linear-decay alpha), sized for 2 CPU cores in about ten minutes.
func Default() Config {
	tiny := model.Config{
		HiddenSize: 128, IntermediateSize: 384, NumHiddenLayers: 2, NumAttentionHeads: 4, NumKeyValueHeads: 4,
		MaxPositionEmbeddings: 1024, RopeTheta: 10000, RMSNormEps: 1e-6, TieWordEmbeddings: true,
		TorchDType: "float32", ModelType: "qwen2", HiddenAct: "silu",
	}
	world := data.WorldConfig{Seed: 1, People: 400, Films: 200, Cities: 120, Countries: 20, Organizations: 80,
		TrainQuestions: 1600, DevQuestions: 300, TestQuestions: 300, HopWeights: [4]float64{0.45, 0.35, 0, 0.2}}
	return Config{
		Seed:   1,
		Out:    "runs/default",
		Model:  ModelConfig{Tiny: &tiny},
		Data:   DataConfig{Train: "synthetic", World: world, HastyExperts: 0.6},
		Agent:  AgentConfig{Search: "local", TopK: 1, MaxTurns: 4, MaxResponseTokens: 512, MaxTurnTokens: 160},
		Reward: RewardConfig{Mode: "hybrid", Metric: "f1", Judge: "heuristic", Scheduler: "linear", AlphaStart: 0.5},
		SFT:    SFTConfig{Steps: 500, Batch: 16, MicroBatch: 16, LR: 4e-3, Warmup: 20, LRSchedule: "cosine", ClipNorm: 1, Pack: true},
		GRPO: GRPOConfig{Steps: 40, Questions: 8, Group: 8, MicroBatch: 32, LR: 1e-4, LRSchedule: "constant", ClipNorm: 1,
			Temperature: 0.6, ClipRatio: 0.2, KLCoef: 0, EntropyCoef: 0.001, Entropy: "swerm", Aggregation: "token-mean"},
		KeepCheckpoints: 2,
	}
}

// LoadConfig reads a JSON config over Default: fields the file leaves out keep their defaults.
// Unknown fields are errors naming them.
func LoadConfig(path string) (Config, error) {
	cfg := Default()
	raw, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("train: config: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("train: config %s: %w", path, err)
	}
	return cfg, nil
}

// Validate rejects a configuration that cannot run, naming the first bad field, before any work
// is done.
func (c Config) Validate() error {
	if c.Out == "" {
		return fieldError("out", "must name the run directory")
	}
	switch {
	case c.Model.Dir == "" && c.Model.Tiny == nil:
		return fieldError("model", "set model.dir (a Hugging Face checkpoint) or model.tiny (a shape to train from scratch)")
	case c.Model.Dir != "" && c.Model.Tiny != nil:
		return fieldError("model", "set model.dir or model.tiny, not both")
	}
	if c.Model.Dir != "" {
		if st, err := os.Stat(c.Model.Dir); err != nil || !st.IsDir() {
			return fieldError("model.dir", fmt.Sprintf("%q is not a directory", c.Model.Dir))
		}
	}
	if c.Data.Train == "" {
		return fieldError("data.train", `must be "synthetic" or a .parquet/.jsonl file`)
	}
	if c.Data.Train != "synthetic" {
		for _, f := range []struct{ name, path string }{{"data.train", c.Data.Train}, {"data.dev", c.Data.Dev}} {
			if f.path == "" {
				return fieldError(f.name, "a dataset file is required when data.train is not synthetic")
			}
			if !strings.HasSuffix(f.path, ".parquet") && !strings.HasSuffix(f.path, ".jsonl") {
				return fieldError(f.name, fmt.Sprintf("%q is not a .parquet or .jsonl file", f.path))
			}
			if _, err := os.Stat(f.path); err != nil {
				return fieldError(f.name, err.Error())
			}
		}
		if c.Model.Tiny != nil && c.Model.Tokenizer == "" {
			return fieldError("model.tokenizer", "a tiny model on a real dataset needs a tokenizer.json")
		}
		if c.SFT.Steps > 0 {
			return fieldError("sft.steps", "SFT needs expert trajectories, which only the synthetic world provides; set it to 0")
		}
	}
	switch c.Agent.Search {
	case "local":
		if c.Data.Train != "synthetic" && c.Agent.Index == "" {
			return fieldError("agent.index", "local search on a real dataset needs an index built with `atomsearcher index`")
		}
	case "serper", "searxng", "elasticsearch":
		if c.Agent.Search != "serper" && c.Agent.URL == "" {
			return fieldError("agent.url", "the "+c.Agent.Search+" backend needs its URL")
		}
	default:
		return fieldError("agent.search", fmt.Sprintf("must be local, serper, searxng or elasticsearch, got %q", c.Agent.Search))
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"agent.top_k", c.Agent.TopK}, {"agent.max_turns", c.Agent.MaxTurns}, {"agent.max_response_tokens", c.Agent.MaxResponseTokens}, {"agent.max_turn_tokens", c.Agent.MaxTurnTokens}} {
		if f.v <= 0 {
			return fieldError(f.name, fmt.Sprintf("must be positive, got %d", f.v))
		}
	}
	switch c.Reward.Mode {
	case "hybrid", "outcome":
	default:
		return fieldError("reward.mode", fmt.Sprintf("must be hybrid or outcome, got %q", c.Reward.Mode))
	}
	switch c.Reward.Metric {
	case "f1", "em":
	default:
		return fieldError("reward.metric", fmt.Sprintf("must be f1 or em, got %q", c.Reward.Metric))
	}
	if c.Reward.Mode == "hybrid" {
		switch c.Reward.Judge {
		case "heuristic":
		case "llm":
			if c.Reward.JudgeModel == "" {
				return fieldError("reward.judge_model", "the llm judge needs a model name")
			}
		default:
			return fieldError("reward.judge", fmt.Sprintf("must be heuristic or llm, got %q", c.Reward.Judge))
		}
		switch c.Reward.Scheduler {
		case "linear", "constant", "cosine":
		default:
			return fieldError("reward.scheduler", fmt.Sprintf("must be linear, constant or cosine, got %q", c.Reward.Scheduler))
		}
		if !(c.Reward.AlphaStart >= 0 && c.Reward.AlphaStart <= 1) {
			return fieldError("reward.alpha_start", fmt.Sprintf("must be in [0, 1], got %v", c.Reward.AlphaStart))
		}
	}
	if !(c.Data.HastyExperts >= 0 && c.Data.HastyExperts <= 1) {
		return fieldError("data.hasty_experts", fmt.Sprintf("must be in [0, 1], got %v", c.Data.HastyExperts))
	}
	if c.Data.SFTQuestions < 0 {
		return fieldError("data.sft_questions", fmt.Sprintf("must be >= 0, got %d", c.Data.SFTQuestions))
	}
	if c.SFT.Steps < 0 {
		return fieldError("sft.steps", fmt.Sprintf("must be >= 0, got %d", c.SFT.Steps))
	}
	if c.SFT.Steps > 0 {
		if err := checkBatch("sft", c.SFT.Batch, c.SFT.MicroBatch); err != nil {
			return err
		}
		if err := c.sftSchedule().Validate("sft"); err != nil {
			return err
		}
		if c.SFT.ClipNorm < 0 {
			return fieldError("sft.clip_norm", "must be >= 0")
		}
	}
	if c.GRPO.Steps < 0 {
		return fieldError("grpo.steps", fmt.Sprintf("must be >= 0, got %d", c.GRPO.Steps))
	}
	if c.GRPO.Steps > 0 {
		g := c.GRPO
		if g.Questions <= 0 {
			return fieldError("grpo.questions", fmt.Sprintf("must be positive, got %d", g.Questions))
		}
		if g.Group < 2 {
			return fieldError("grpo.group", fmt.Sprintf("must be at least 2 (advantages are relative to the group), got %d", g.Group))
		}
		if g.MiniBatches < 0 || g.MiniBatches > g.Questions {
			return fieldError("grpo.mini_batches", fmt.Sprintf("must be in [0, grpo.questions=%d], got %d", g.Questions, g.MiniBatches))
		}
		if g.MicroBatch <= 0 {
			return fieldError("grpo.micro_batch", fmt.Sprintf("must be positive, got %d", g.MicroBatch))
		}
		if err := c.grpoSchedule().Validate("grpo"); err != nil {
			return err
		}
		if !(g.Temperature > 0) {
			return fieldError("grpo.temperature", fmt.Sprintf("must be positive, got %v", g.Temperature))
		}
		if !(g.ClipRatio > 0 && g.ClipRatio < 1) {
			return fieldError("grpo.clip_ratio", fmt.Sprintf("must be in (0, 1), got %v", g.ClipRatio))
		}
		if g.KLCoef < 0 || math.IsNaN(g.KLCoef) {
			return fieldError("grpo.kl_coef", fmt.Sprintf("must be >= 0, got %v", g.KLCoef))
		}
		if g.EntropyCoef < 0 || math.IsNaN(g.EntropyCoef) {
			return fieldError("grpo.entropy_coef", fmt.Sprintf("must be >= 0, got %v", g.EntropyCoef))
		}
		switch g.Entropy {
		case "fixed", "swerm":
		default:
			return fieldError("grpo.entropy", fmt.Sprintf("must be fixed or swerm, got %q", g.Entropy))
		}
		if _, err := aggregationOf(g.Aggregation); err != nil {
			return fieldError("grpo.aggregation", err.Error())
		}
	}
	if c.Eval.Every < 0 || c.Eval.Questions < 0 {
		return fieldError("eval", "every and questions must be >= 0")
	}
	if c.CheckpointEvery < 0 || c.KeepCheckpoints < 0 {
		return fieldError("checkpoint_every", "checkpoint_every and keep_checkpoints must be >= 0")
	}
	return nil
}

func checkBatch(phase string, batch, micro int) error {
	if batch <= 0 {
		return fieldError(phase+".batch", fmt.Sprintf("must be positive, got %d", batch))
	}
	if micro <= 0 || micro > batch {
		return fieldError(phase+".micro_batch", fmt.Sprintf("must be in [1, %s.batch=%d], got %d", phase, batch, micro))
	}
	return nil
}

func (c Config) sftSchedule() LRSchedule {
	return LRSchedule{Peak: c.SFT.LR, WarmupSteps: c.SFT.Warmup, TotalSteps: c.SFT.Steps, Shape: c.SFT.LRSchedule, MinRatio: 0.1}
}

func (c Config) grpoSchedule() LRSchedule {
	return LRSchedule{Peak: c.GRPO.LR, WarmupSteps: c.GRPO.Warmup, TotalSteps: c.GRPO.Steps, Shape: c.GRPO.LRSchedule, MinRatio: 0.1}
}

// ConfigError names the configuration field that is wrong.
type ConfigError struct {
	Field  string
	Reason string
}

func (e *ConfigError) Error() string {
	if e.Field == "" {
		return "train: invalid config: " + e.Reason
	}
	return "train: invalid config: " + e.Field + ": " + e.Reason
}

func fieldError(field, reason string) error { return &ConfigError{Field: field, Reason: reason} }

// UnmarshalJSON reads a model section strictly (an unknown key is an error) except inside
// "tiny", which is a Hugging Face config.json shape: the fields transformers adds when a config
// is written (architectures, eos_token_id, ...) are accepted there, so a run's own config.json
// loads back.
func (m *ModelConfig) UnmarshalJSON(b []byte) error {
	var raw struct {
		Dir       string          `json:"dir"`
		Tiny      json.RawMessage `json:"tiny"`
		Tokenizer string          `json:"tokenizer"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return fmt.Errorf("model: %w", err)
	}
	m.Dir, m.Tokenizer, m.Tiny = raw.Dir, raw.Tokenizer, nil
	if len(raw.Tiny) > 0 && string(raw.Tiny) != "null" {
		var tiny model.Config
		if err := json.Unmarshal(raw.Tiny, &tiny); err != nil {
			return fmt.Errorf("model.tiny: %w", err)
		}
		m.Tiny = &tiny
	}
	return nil
}
