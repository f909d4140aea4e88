package train

import (
	"context"
	"math"
	"testing"

	"github.com/atomsearcher/atomsearcher/agent"
	"github.com/atomsearcher/atomsearcher/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSyntheticTokenizerCoversTheWorld checks that the embedded default's tokenizer has a token
// for every piece of every expert trajectory (no [UNK]), that decoding gives the exact text back
// (tool-call JSON stays parseable), and that the sequences are as short as the default's budget
// assumes.
func TestSyntheticTokenizerCoversTheWorld(t *testing.T) {
	ctx := context.Background()
	cfg := Default()
	env, err := BuildSyntheticEnvironment(ctx, cfg.Data, cfg.Agent.TopK)
	require.NoError(t, err)
	defer env.Close()
	tok, err := SyntheticTokenizer(env, SyntheticSystemPrompt)
	require.NoError(t, err)
	unk, ok := tok.TokenID("[UNK]")
	require.True(t, ok)
	a := &agent.Agent{Tokenizer: tok, Tools: env.Tools, Config: agent.Config{SystemPrompt: SyntheticSystemPrompt, Date: "2025-01-31", OmitToolSchemas: true}}
	total := 0
	for _, e := range env.Experts {
		r, err := a.FromExpert(e)
		require.NoError(t, err)
		ids := append(append([]int{}, r.PromptIDs...), r.ResponseIDs...)
		assert.NotContains(t, ids, unk, e.Question.Question)
		text, err := tok.Decode(r.ResponseIDs)
		require.NoError(t, err)
		assert.Equal(t, r.Text, text)
		total += len(ids)
		assert.LessOrEqual(t, len(r.ResponseIDs), cfg.Agent.MaxResponseTokens, e.Question.Question)
	}
	mean := total / len(env.Experts)
	assert.Less(t, mean, 400, "mean expert sequence length")
	t.Logf("%d experts, vocabulary %d, mean sequence %d tokens", len(env.Experts), tok.VocabSize(), mean)
}

func TestSyntheticEnvironmentSplitsSFTAndRLQuestions(t *testing.T) {
	ctx := context.Background()
	world := data.WorldConfig{Seed: 2, People: 30, Films: 15, Cities: 10, Countries: 4, Organizations: 8,
		TrainQuestions: 60, DevQuestions: 10, TestQuestions: 10}
	cases := []struct{ sft, experts, rl int }{{0, 60, 0}, {20, 20, 40}, {60, 60, 0}, {500, 60, 0}}
	for _, c := range cases {
		env, err := BuildSyntheticEnvironment(ctx, DataConfig{World: world, SFTQuestions: c.sft}, 1)
		require.NoError(t, err)
		assert.Len(t, env.Experts, c.experts, "sft %d", c.sft)
		assert.Len(t, env.RLTrain, c.rl, "sft %d", c.sft)
		assert.Len(t, env.Train, 60)
		seen := map[string]bool{}
		for _, e := range env.Experts {
			seen[e.Question.Question] = true
		}
		for _, q := range env.RLTrain {
			assert.False(t, seen[q.Question], "RL question %q is also an SFT question", q.Question)
		}
		require.NoError(t, env.Close())
	}
}

func TestSyntheticEnvironmentHastyExperts(t *testing.T) {
	ctx := context.Background()
	world := data.WorldConfig{Seed: 3, People: 30, Films: 15, Cities: 10, Countries: 4, Organizations: 8,
		TrainQuestions: 80, DevQuestions: 10, TestQuestions: 10, HopWeights: [4]float64{0.3, 0.5, 0, 0.2}}
	eligible := 0
	{
		w, err := data.NewWorld(world)
		require.NoError(t, err)
		train, _, _, err := w.Questions()
		require.NoError(t, err)
		for _, q := range train {
			if data.CanBeHasty(q) {
				eligible++
			}
		}
	}
	require.Greater(t, eligible, 10)
	cases := []struct {
		share float64
		want  int
	}{{0, 0}, {0.5, int(math.Round(0.5 * float64(eligible)))}, {1, eligible}}
	for i, c := range cases {
		env, err := BuildSyntheticEnvironment(ctx, DataConfig{World: world, HastyExperts: c.share}, 1)
		require.NoError(t, err, "case %d", i)
		hasty := 0
		for _, e := range env.Experts {
			if e.Hasty {
				hasty++
				assert.True(t, data.CanBeHasty(e.Question), "case %d: %s", i, e.Question.Question)
				assert.Len(t, e.Turns, 2, "case %d", i)
			}
		}
		assert.Equal(t, c.want, hasty, "case %d", i)
		assert.Len(t, env.Experts, 80, "case %d: hasty experts replace full ones, none is dropped", i)
		again, err := BuildSyntheticEnvironment(ctx, DataConfig{World: world, HastyExperts: c.share}, 1)
		require.NoError(t, err)
		for k := range env.Experts {
			assert.Equal(t, env.Experts[k].Hasty, again.Experts[k].Hasty, "case %d: the draw is seeded", i)
		}
		require.NoError(t, env.Close())
		require.NoError(t, again.Close())
	}
}
