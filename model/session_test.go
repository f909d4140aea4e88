package model_test

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atomsearcher/atomsearcher/model"
)

// fullLogProbs recomputes log_softmax(logits / temperature) of one row without any cache:
// out[p][v] is log p(v | ids[≤p]).
func fullLogProbs(t *testing.T, m *model.Model, ids []int, temperature float64) [][]float64 {
	logits, err := m.Forward(ids64(ids), model.ForwardOptions{})
	require.NoError(t, err)
	defer logits.Free()
	V := m.Config.VocabSize
	flat := logits.Float32s()
	out := make([][]float64, len(ids))
	for p := range ids {
		row := make([]float64, V)
		mx := math.Inf(-1)
		for v := range V {
			row[v] = float64(flat[p*V+v]) / temperature
			mx = math.Max(mx, row[v])
		}
		sum := 0.0
		for _, x := range row {
			sum += math.Exp(x - mx)
		}
		for v := range row {
			row[v] -= mx + math.Log(sum)
		}
		out[p] = row
	}
	return out
}

func argmax(xs []float64) int {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}

// checkAgainstFull asserts that every generated token of a row (at the given positions of the
// row's full ids) is the argmax (when greedy) of a full recomputation, with the same log-prob.
func checkAgainstFull(t *testing.T, m *model.Model, ids []int, generated map[int]float64, temperature float64, greedy bool) {
	t.Helper()
	full := fullLogProbs(t, m, ids, temperature)
	for p, lp := range generated {
		if greedy {
			assert.Equal(t, argmax(full[p-1]), ids[p], "position %d", p)
		}
		assert.InDelta(t, full[p-1][ids[p]], lp, 1e-4, "log-prob at position %d", p)
	}
}

func TestSessionKVCacheEqualsFullRecomputation(t *testing.T) {
	for _, name := range checkpoints {
		t.Run(name, func(t *testing.T) {
			m := loadTestdata(t, name)
			ctx := context.Background()
			prompts := [][]int{{1, 5, 9, 33, 70}, {3, 8}, {1, 17, 17, 42, 99, 127, 0, 64}}
			s, err := m.NewSession(ctx, prompts, model.SessionOptions{})
			require.NoError(t, err)
			defer s.Free()
			generated := make([]map[int]float64, len(prompts))
			for r := range generated {
				generated[r] = map[int]float64{}
			}
			record := func(gens []model.Generation) {
				for r, g := range gens {
					start := s.Len(r) - len(g.IDs)
					for i, lp := range g.LogProbs {
						generated[r][start+i] = lp
					}
				}
			}
			gens, err := s.Generate(ctx, model.GenerateOptions{MaxNewTokens: 6})
			require.NoError(t, err)
			record(gens)
			// Tool responses of different lengths for rows 0 and 2, nothing for row 1.
			require.NoError(t, s.Append(ctx, [][]int{{7, 8, 9, 10}, nil, {11}}))
			gens, err = s.Generate(ctx, model.GenerateOptions{MaxNewTokens: 5, Rows: []int{0, 1}})
			require.NoError(t, err)
			assert.Equal(t, model.StopNone, gens[2].Stop)
			assert.Empty(t, gens[2].IDs)
			record(gens)
			require.NoError(t, s.Append(ctx, [][]int{{12, 13}, {14, 15, 16}, {17, 18, 19, 20, 21}}))
			gens, err = s.Generate(ctx, model.GenerateOptions{MaxNewTokens: 4})
			require.NoError(t, err)
			record(gens)
			for r := range prompts {
				ids := s.IDs(r)
				assert.Equal(t, prompts[r], ids[:len(prompts[r])])
				checkAgainstFull(t, m, ids, generated[r], 1, true)
			}
			assert.Equal(t, len(prompts[1])+6+5+3+4, s.Len(1))
			assert.Equal(t, len(prompts[2])+6+1+5+4, s.Len(2))
		})
	}
}

func TestSamplingLogProbsMatchFullRecomputation(t *testing.T) {
	m := loadTestdata(t, "tiny-qwen2")
	ctx := context.Background()
	prompts := [][]int{{1, 5, 9}, {3, 8, 15, 16, 23}}
	for _, o := range []model.GenerateOptions{
		{MaxNewTokens: 12, Temperature: 1, Seed: 3},
		{MaxNewTokens: 12, Temperature: 0.7, TopK: 20, Seed: 4},
		{MaxNewTokens: 12, Temperature: 1.3, TopP: 0.9, Seed: 5},
		{MaxNewTokens: 12, Temperature: 1, TopK: 50, TopP: 0.8, Seed: 6},
	} {
		gens, err := m.Generate(ctx, prompts, o)
		require.NoError(t, err)
		for r, g := range gens {
			require.Len(t, g.IDs, o.MaxNewTokens)
			ids := append(append([]int{}, prompts[r]...), g.IDs...)
			lps := map[int]float64{}
			for i, lp := range g.LogProbs {
				lps[len(prompts[r])+i] = lp
			}
			checkAgainstFull(t, m, ids, lps, o.Temperature, false)
		}
	}
}

func TestSamplingIsSeeded(t *testing.T) {
	m := loadTestdata(t, "tiny-qwen2")
	ctx := context.Background()
	prompts := [][]int{{1, 5, 9}, {3, 8, 15, 16, 23}, {4}}
	run := func(seed uint64) [][]int {
		gens, err := m.Generate(ctx, prompts, model.GenerateOptions{MaxNewTokens: 16, Temperature: 1, Seed: seed})
		require.NoError(t, err)
		var out [][]int
		for _, g := range gens {
			out = append(out, g.IDs)
		}
		return out
	}
	a, b, c := run(7), run(7), run(8)
	assert.Equal(t, a, b)
	assert.NotEqual(t, a, c)
}

func TestTruncatedSamplingDegeneratesToGreedy(t *testing.T) {
	m := loadTestdata(t, "tiny-qwen2")
	g := readGoldens(t, "tiny-qwen2")
	ctx := context.Background()
	for i, o := range []model.GenerateOptions{
		{MaxNewTokens: g.GreedyNewTokens, Temperature: 1, TopK: 1, Seed: 1},
		{MaxNewTokens: g.GreedyNewTokens, Temperature: 0.5, TopP: 1e-6, Seed: 2},
	} {
		gens, err := m.Generate(ctx, g.Rows, o)
		require.NoError(t, err)
		for r, gen := range gens {
			assert.Equal(t, g.GreedyIDs[r], gen.IDs, "case %d row %d", i, r)
		}
	}
}

func TestGenerateStops(t *testing.T) {
	m := loadTestdata(t, "tiny-qwen2")
	g := readGoldens(t, "tiny-qwen2")
	// Row 0's greedy continuation starts 30, 1, 2, 2; row 1's starts 23, 70, 70, 70, 94.
	detok := func(ids []int) string {
		var b strings.Builder
		for _, id := range ids {
			fmt.Fprintf(&b, "<%d>", id)
		}
		return b.String()
	}
	cases := []struct {
		name   string
		opts   model.GenerateOptions
		ids    [][]int
		reason [2]model.StopReason
		text   [2]string
	}{
		{"stop id", model.GenerateOptions{MaxNewTokens: 8, StopIDs: []int{2, 94}},
			[][]int{{30, 1, 2}, {23, 70, 70, 70, 94}}, [2]model.StopReason{model.StopToken, model.StopToken}, [2]string{"2", "94"}},
		{"stop sequence", model.GenerateOptions{MaxNewTokens: 8, StopSequences: [][]int{{1, 2}, {70, 70}}},
			[][]int{{30, 1, 2}, {23, 70, 70}}, [2]model.StopReason{model.StopSequence, model.StopSequence}, [2]string{"[1 2]", "[70 70]"}},
		{"stop string", model.GenerateOptions{MaxNewTokens: 8, StopStrings: []string{"<1><2>", "<94>"}, Detokenize: detok},
			[][]int{{30, 1, 2}, {23, 70, 70, 70, 94}}, [2]model.StopReason{model.StopString, model.StopString}, [2]string{"<1><2>", "<94>"}},
		{"length", model.GenerateOptions{MaxNewTokens: 2},
			[][]int{{30, 1}, {23, 70}}, [2]model.StopReason{model.StopLength, model.StopLength}, [2]string{"", ""}},
	}
	for _, tc := range cases {
		gens, err := m.Generate(context.Background(), g.Rows[:2], tc.opts)
		require.NoError(t, err, tc.name)
		for r := range 2 {
			assert.Equal(t, tc.ids[r], gens[r].IDs, "%s row %d", tc.name, r)
			assert.Equal(t, tc.reason[r], gens[r].Stop, "%s row %d", tc.name, r)
			assert.Equal(t, tc.text[r], gens[r].StopText, "%s row %d", tc.name, r)
			assert.Len(t, gens[r].LogProbs, len(gens[r].IDs))
		}
	}
}

func TestSessionMaxLength(t *testing.T) {
	m := loadTestdata(t, "tiny-qwen2")
	ctx := context.Background()
	s, err := m.NewSession(ctx, [][]int{{1, 2, 3}, {4}}, model.SessionOptions{MaxLength: 6})
	require.NoError(t, err)
	defer s.Free()
	gens, err := s.Generate(ctx, model.GenerateOptions{MaxNewTokens: 10})
	require.NoError(t, err)
	assert.Equal(t, model.StopContext, gens[0].Stop)
	assert.Len(t, gens[0].IDs, 3)
	assert.Equal(t, 6, s.Len(0))
	assert.Equal(t, model.StopContext, gens[1].Stop)
	assert.Len(t, gens[1].IDs, 5)
	err = s.Append(ctx, [][]int{{5}, nil})
	require.ErrorIs(t, err, model.ErrTooLong)
	gens, err = s.Generate(ctx, model.GenerateOptions{MaxNewTokens: 1})
	require.NoError(t, err)
	assert.Equal(t, model.StopContext, gens[0].Stop)
	assert.Empty(t, gens[0].IDs)
}

func TestSessionErrors(t *testing.T) {
	m := loadTestdata(t, "tiny-qwen2")
	ctx := context.Background()
	newSession := []struct {
		name    string
		prompts [][]int
		opts    model.SessionOptions
		want    string
	}{
		{"no prompts", nil, model.SessionOptions{}, "at least one prompt"},
		{"empty prompt", [][]int{{1}, {}}, model.SessionOptions{}, "prompt 1 is empty"},
		{"id too large", [][]int{{1, 128}}, model.SessionOptions{}, "id 128 at 1 is outside the vocabulary"},
		{"negative id", [][]int{{-1}}, model.SessionOptions{}, "id -1"},
		{"negative max length", [][]int{{1}}, model.SessionOptions{MaxLength: -1}, "negative MaxLength"},
		{"max length over model", [][]int{{1}}, model.SessionOptions{MaxLength: 257}, "exceeds max_position_embeddings"},
		{"prompt too long", [][]int{{1, 2, 3}}, model.SessionOptions{MaxLength: 2}, "MaxLength is 2"},
		{"bad pad", [][]int{{1}}, model.SessionOptions{PadID: 500}, "PadID"},
	}
	for i, tc := range newSession {
		_, err := m.NewSession(ctx, tc.prompts, tc.opts)
		require.Error(t, err, "case %d (%s)", i, tc.name)
		assert.Contains(t, err.Error(), tc.want, "case %d (%s)", i, tc.name)
	}

	s, err := m.NewSession(ctx, [][]int{{1, 2}, {3}}, model.SessionOptions{})
	require.NoError(t, err)
	defer s.Free()
	generate := []struct {
		name string
		opts model.GenerateOptions
		want string
	}{
		{"no tokens", model.GenerateOptions{}, "MaxNewTokens must be positive"},
		{"negative temperature", model.GenerateOptions{MaxNewTokens: 1, Temperature: -1}, "Temperature"},
		{"nan temperature", model.GenerateOptions{MaxNewTokens: 1, Temperature: math.NaN()}, "Temperature"},
		{"negative top-k", model.GenerateOptions{MaxNewTokens: 1, TopK: -1}, "TopK"},
		{"top-p above one", model.GenerateOptions{MaxNewTokens: 1, TopP: 1.5}, "TopP"},
		{"strings without detokenizer", model.GenerateOptions{MaxNewTokens: 1, StopStrings: []string{"x"}}, "Detokenize"},
		{"empty stop string", model.GenerateOptions{MaxNewTokens: 1, StopStrings: []string{""}, Detokenize: func([]int) string { return "" }}, "empty stop string"},
		{"empty stop sequence", model.GenerateOptions{MaxNewTokens: 1, StopSequences: [][]int{{}}}, "stop sequence 0 is empty"},
		{"row out of range", model.GenerateOptions{MaxNewTokens: 1, Rows: []int{2}}, "row 2 out of range"},
	}
	for i, tc := range generate {
		_, err := s.Generate(ctx, tc.opts)
		require.Error(t, err, "case %d (%s)", i, tc.name)
		assert.Contains(t, err.Error(), tc.want, "case %d (%s)", i, tc.name)
	}
	err = s.Append(ctx, [][]int{{1}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Append got 1 rows, the session has 2")
	err = s.Append(ctx, [][]int{{1, 999}, nil})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "id 999")
	assert.Equal(t, []int{1, 2}, s.IDs(0), "a failed Append changes nothing")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = s.Generate(cancelled, model.GenerateOptions{MaxNewTokens: 3})
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, s.Append(cancelled, [][]int{{4}, nil}), context.Canceled)
	_, err = m.NewSession(cancelled, [][]int{{1}}, model.SessionOptions{})
	require.ErrorIs(t, err, context.Canceled)
	// The session is still usable after a cancelled call.
	gens, err := s.Generate(ctx, model.GenerateOptions{MaxNewTokens: 2})
	require.NoError(t, err)
	assert.Len(t, gens[1].IDs, 2)

	s.Free()
	_, err = s.Generate(ctx, model.GenerateOptions{MaxNewTokens: 1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "freed")
}

func TestSessionFreesItsTensors(t *testing.T) {
	m := loadTestdata(t, "tiny-qwen2")
	ctx := context.Background()
	before := model.SettledLive()
	for range 3 {
		s, err := m.NewSession(ctx, [][]int{{1, 2, 3}, {4, 5}}, model.SessionOptions{Seed: 1})
		require.NoError(t, err)
		_, err = s.Generate(ctx, model.GenerateOptions{MaxNewTokens: 5, Temperature: 1, TopP: 0.9})
		require.NoError(t, err)
		require.NoError(t, s.Append(ctx, [][]int{{6, 7}, nil}))
		_, err = s.Generate(ctx, model.GenerateOptions{MaxNewTokens: 3})
		require.NoError(t, err)
		s.Free()
	}
	assert.Equal(t, before, model.SettledLive())
	runtime.KeepAlive(m)
}
