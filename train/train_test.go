package train

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/atomsearcher/atomsearcher/data"
	"github.com/atomsearcher/atomsearcher/model"
	"github.com/atomsearcher/atomsearcher/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testConfig is a run small enough for a unit test: a small world, a one-layer model, a few
// steps of each phase.
func testConfig(t *testing.T) Config {
	cfg := Default()
	cfg.Out = filepath.Join(t.TempDir(), "run")
	tiny := *cfg.Model.Tiny
	tiny.HiddenSize, tiny.IntermediateSize, tiny.NumHiddenLayers, tiny.NumAttentionHeads, tiny.NumKeyValueHeads = 32, 64, 1, 2, 1
	cfg.Model.Tiny = &tiny
	cfg.Data.World = data.WorldConfig{Seed: 3, People: 20, Films: 10, Cities: 8, Countries: 4, Organizations: 6,
		TrainQuestions: 40, DevQuestions: 6, TestQuestions: 6}
	cfg.Agent.MaxTurns, cfg.Agent.MaxResponseTokens, cfg.Agent.MaxTurnTokens = 2, 96, 40
	cfg.SFT = SFTConfig{Steps: 3, Batch: 4, MicroBatch: 2, LR: 1e-3, LRSchedule: "cosine", ClipNorm: 1, Pack: true}
	cfg.GRPO.Steps, cfg.GRPO.Questions, cfg.GRPO.Group, cfg.GRPO.MicroBatch = 2, 2, 2, 3
	cfg.Eval.Questions = 3
	cfg.KeepCheckpoints = 10
	return cfg
}

func TestSFTLossDecreasesOnAFixedBatch(t *testing.T) {
	cfg := testConfig(t)
	cfg.SFT.LR, cfg.SFT.Warmup, cfg.SFT.LRSchedule = 3e-3, 0, "constant"
	tr, err := NewTrainer(context.Background(), cfg)
	require.NoError(t, err)
	defer tr.Close()
	seqs, err := tr.expertSequences()
	require.NoError(t, err)
	fixed := seqs[:cfg.SFT.Batch] // every step draws from these four: a fixed batch
	var losses []float64
	for step := range 8 {
		m, err := tr.SFTStep(context.Background(), step, fixed)
		require.NoError(t, err)
		losses = append(losses, m.Loss)
	}
	for i := 1; i < len(losses); i++ {
		assert.Less(t, losses[i], losses[i-1], "losses %v", losses)
	}
	assert.Less(t, losses[len(losses)-1], 0.9*losses[0], "losses %v", losses)
}

func TestSequenceMaskExcludesToolResponses(t *testing.T) {
	cfg := testConfig(t)
	tr, err := NewTrainer(context.Background(), cfg)
	require.NoError(t, err)
	defer tr.Close()
	e := tr.Env.Experts[0]
	r, err := tr.Agent.FromExpert(e)
	require.NoError(t, err)
	s, err := SequenceOf(r)
	require.NoError(t, err)
	// Decode the masked-in tokens: they are exactly the assistant turns, never the tool responses.
	var policy []int
	for i, m := range s.Mask {
		if m {
			policy = append(policy, s.IDs[i])
		}
	}
	text, err := tr.Tokenizer.Decode(policy)
	require.NoError(t, err)
	assert.NotContains(t, text, "<tool_response>")
	assert.NotContains(t, text, "Results for")
	for _, turn := range e.Turns {
		assert.Contains(t, text, turn.Assistant[len("<think>"):min(len(turn.Assistant), 40)])
	}
	for i := range len(r.PromptIDs) {
		assert.False(t, s.Mask[i], "prompt token %d is masked in", i)
	}
}

func TestCheckpointResumeIsBitIdentical(t *testing.T) {
	ctx := context.Background()
	full := testConfig(t)
	full.GRPO.MiniBatches = 2 // two optimizer steps per GRPO step: the ratio and clip act
	sumFull, err := Run(ctx, full, RunOptions{})
	require.NoError(t, err)
	require.NotNil(t, sumFull.AfterGRPO)

	// Interrupted after the third step (the last SFT step), and again after the first GRPO step.
	parted := testConfig(t)
	parted.GRPO.MiniBatches = 2
	for _, stop := range []int{3, 1} {
		sum, err := Run(ctx, parted, RunOptions{StopAfter: stop, Resume: stop == 1})
		require.NoError(t, err)
		require.True(t, sum.Stopped)
	}
	sumParted, err := Run(ctx, parted, RunOptions{Resume: true})
	require.NoError(t, err)

	want, err := os.ReadFile(filepath.Join(sumFull.Checkpoint, "model.safetensors"))
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join(sumParted.Checkpoint, "model.safetensors"))
	require.NoError(t, err)
	assert.True(t, string(want) == string(got), "weights after resume differ from the uninterrupted run")
	assert.Equal(t, sumFull.AfterSFT.F1, sumParted.AfterSFT.F1)
	assert.Equal(t, sumFull.AfterGRPO.Answers, sumParted.AfterGRPO.Answers)

	fullMetrics, err := ReadMetrics(filepath.Join(full.Out, "metrics.jsonl"))
	require.NoError(t, err)
	partedMetrics, err := ReadMetrics(filepath.Join(parted.Out, "metrics.jsonl"))
	require.NoError(t, err)
	pick := func(recs []map[string]any, phase string) []float64 {
		var out []float64
		for _, r := range recs {
			if r["phase"] == phase {
				for _, k := range []string{"loss", "reward", "pg_loss", "entropy"} {
					if v, ok := r[k].(float64); ok {
						out = append(out, v)
					}
				}
			}
		}
		return out
	}
	assert.Equal(t, pick(fullMetrics, "sft"), pick(partedMetrics, "sft"))
	assert.Equal(t, pick(fullMetrics, "grpo"), pick(partedMetrics, "grpo"))
	for _, f := range []string{"config.json", "summary.json", "plots/sft_loss.png", "plots/reward.png"} {
		assert.FileExists(t, filepath.Join(parted.Out, f))
	}
	// The checkpoint is a Hugging Face directory the model package loads.
	m, err := model.Load(sumParted.Checkpoint, model.LoadOptions{})
	require.NoError(t, err)
	m.Free()
}

func TestInvalidConfigsAreRejectedNamingTheField(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Config)
		field  string
	}{
		{"no out", func(c *Config) { c.Out = "" }, "out"},
		{"no model", func(c *Config) { c.Model.Tiny = nil }, "model"},
		{"missing model dir", func(c *Config) { c.Model.Tiny, c.Model.Dir = nil, "/nonexistent/model" }, "model.dir"},
		{"dataset not parquet", func(c *Config) { c.Data.Train = "questions.csv" }, "data.train"},
		{"bad search", func(c *Config) { c.Agent.Search = "bing" }, "agent.search"},
		{"searxng without url", func(c *Config) { c.Agent.Search = "searxng" }, "agent.url"},
		{"zero top_k", func(c *Config) { c.Agent.TopK = 0 }, "agent.top_k"},
		{"bad reward mode", func(c *Config) { c.Reward.Mode = "f1" }, "reward.mode"},
		{"bad metric", func(c *Config) { c.Reward.Metric = "bleu" }, "reward.metric"},
		{"bad judge", func(c *Config) { c.Reward.Judge = "gpt" }, "reward.judge"},
		{"llm judge without model", func(c *Config) { c.Reward.Judge = "llm" }, "reward.judge_model"},
		{"bad scheduler", func(c *Config) { c.Reward.Scheduler = "exp" }, "reward.scheduler"},
		{"alpha above 1", func(c *Config) { c.Reward.AlphaStart = 2 }, "reward.alpha_start"},
		{"micro batch above batch", func(c *Config) { c.SFT.MicroBatch = 99 }, "sft.micro_batch"},
		{"zero sft lr", func(c *Config) { c.SFT.LR = 0 }, "sft.lr"},
		{"group of one", func(c *Config) { c.GRPO.Group = 1 }, "grpo.group"},
		{"more mini-batches than questions", func(c *Config) { c.GRPO.MiniBatches = 99 }, "grpo.mini_batches"},
		{"negative sft questions", func(c *Config) { c.Data.SFTQuestions = -1 }, "data.sft_questions"},
		{"hasty share above one", func(c *Config) { c.Data.HastyExperts = 1.5 }, "data.hasty_experts"},
		{"hasty share negative", func(c *Config) { c.Data.HastyExperts = -0.1 }, "data.hasty_experts"},
		{"hasty share NaN", func(c *Config) { c.Data.HastyExperts = math.NaN() }, "data.hasty_experts"},
		{"bad clip", func(c *Config) { c.GRPO.ClipRatio = 1.5 }, "grpo.clip_ratio"},
		{"bad entropy", func(c *Config) { c.GRPO.Entropy = "max" }, "grpo.entropy"},
		{"bad aggregation", func(c *Config) { c.GRPO.Aggregation = "sum" }, "grpo.aggregation"},
		{"negative kl", func(c *Config) { c.GRPO.KLCoef = -1 }, "grpo.kl_coef"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := Default()
			c.mutate(&cfg)
			err := cfg.Validate()
			require.Error(t, err)
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, c.field, ce.Field, err.Error())
			// NewTrainer rejects it before any work.
			_, err = NewTrainer(context.Background(), cfg)
			require.ErrorAs(t, err, &ce)
		})
	}
	require.NoError(t, Default().Validate())
}

func TestLoadConfigRejectsUnknownFields(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"grpo": {"stepz": 3}}`), 0o644))
	_, err := LoadConfig(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "stepz")
	require.NoError(t, os.WriteFile(path, []byte(`{"grpo": {"steps": 3}, "seed": 7}`), 0o644))
	cfg, err := LoadConfig(path)
	require.NoError(t, err)
	assert.Equal(t, 3, cfg.GRPO.Steps)
	assert.Equal(t, uint64(7), cfg.Seed)
	assert.Equal(t, Default().SFT, cfg.SFT, "fields left out keep their defaults")
}

func TestLoadConfigReadsARunsOwnConfig(t *testing.T) {
	dir := t.TempDir()
	run, err := OpenRunDir(dir)
	require.NoError(t, err)
	want := Default()
	want.Out = dir
	require.NoError(t, run.WriteJSON("config.json", want))
	require.NoError(t, run.Close())
	got, err := LoadConfig(filepath.Join(dir, "config.json"))
	require.NoError(t, err)
	assert.Equal(t, want.SFT, got.SFT)
	assert.Equal(t, want.GRPO, got.GRPO)
	require.NotNil(t, got.Model.Tiny)
	assert.Equal(t, want.Model.Tiny.HiddenSize, got.Model.Tiny.HiddenSize)
	assert.Equal(t, want.Model.Tiny.NumHiddenLayers, got.Model.Tiny.NumHiddenLayers)

	path := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"model": {"tinyy": {}}}`), 0o644))
	_, err = LoadConfig(path)
	require.ErrorContains(t, err, "tinyy")
}

// TestGRPOUpdateRaisesTheLikelihoodOfBetterRollouts checks the direction of the GRPO update on
// real rollouts: after one optimizer step with KL and entropy terms off, the advantage-weighted
// change of the sequences' log-likelihood, sum_i A_i * (log p_new(y_i) - log p_old(y_i)), is
// positive.
func TestGRPOUpdateRaisesTheLikelihoodOfBetterRollouts(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t)
	cfg.GRPO.Questions, cfg.GRPO.Group, cfg.GRPO.LR, cfg.GRPO.EntropyCoef, cfg.GRPO.Entropy = 2, 4, 1e-3, 0, "fixed"
	tr, err := NewTrainer(ctx, cfg)
	require.NoError(t, err)
	defer tr.Close()
	require.NoError(t, tr.newOptimizer(cfg.GRPO.LR, 0))
	a := *tr.Agent
	a.Config.Sampling.Temperature = 1
	a.Config.Sampling.Seed = 7
	groups, err := a.Run(ctx, []string{tr.Env.Train[0].Question, tr.Env.Train[1].Question}, 4)
	require.NoError(t, err)
	var seqs []Sequence
	for _, g := range groups {
		for _, r := range g {
			s, err := SequenceOf(r)
			require.NoError(t, err)
			seqs = append(seqs, s)
		}
	}
	// Synthetic advantages: alternate signs, so the check does not depend on the rewards.
	for i := range seqs {
		seqs[i].Advantage = float64(1 - 2*(i%2))
	}
	seqLogProbs := func() []float64 {
		out := make([]float64, len(seqs))
		for i := range seqs {
			b := makeBatch(seqs, []row{{i}}, 0)
			var lp []float32
			var mask []float32
			tensor.NoGrad(func() {
				logp, _, err := tokenLogProbs(tr.Model, b, cfg.GRPO.Temperature, false)
				require.NoError(t, err)
				lp = logp.Float32s()
				mask = b.mask.Float32s()
				logp.Free()
			})
			for k := range lp {
				out[i] += float64(lp[k] * mask[k])
			}
			b.free()
		}
		return out
	}
	before := seqLogProbs()
	var m GRPOStepMetrics
	require.NoError(t, tr.grpoUpdate(ctx, 0, seqs, &m))
	after := seqLogProbs()
	gain := 0.0
	for i := range seqs {
		gain += seqs[i].Advantage * (after[i] - before[i])
	}
	assert.Greater(t, gain, 0.0, "before %v after %v", before, after)
}

// TestResumeRejectsAnotherConfiguration checks that resuming a run with a configuration that
// builds another tokenizer (another world) or another model shape fails naming it, rather than
// training the checkpoint with mismatched tokens.
func TestResumeRejectsAnotherConfiguration(t *testing.T) {
	ctx := context.Background()
	base := testConfig(t)
	sum, err := Run(ctx, base, RunOptions{StopAfter: 1})
	require.NoError(t, err)
	require.True(t, sum.Stopped)

	for _, tc := range []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"another world", func(c *Config) { c.Data.World.Seed = 4 }, "was saved with a different tokenizer"},
		{"another model", func(c *Config) {
			tiny := *c.Model.Tiny
			tiny.HiddenSize, tiny.IntermediateSize = 64, 128
			c.Model.Tiny = &tiny
		}, "is not the configuration's (vocab"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base
			tc.change(&cfg)
			_, err := Run(ctx, cfg, RunOptions{Resume: true})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "resume with the run's own configuration")
		})
	}
	// the run's own configuration resumes
	_, err = Run(ctx, base, RunOptions{Resume: true, StopAfter: 1})
	require.NoError(t, err)
}
