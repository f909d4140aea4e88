package model_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atomsearcher/atomsearcher/model"
	"github.com/atomsearcher/atomsearcher/tensor"
)

// goldens are what model/testdata/make_goldens.py recorded with the PyTorch reference.
type goldens struct {
	Rows                  [][]int       `json:"rows"`
	Logits                [][][]float64 `json:"logits"`
	LogProbs              [][]float64   `json:"logprobs"`
	LogProbsTemperature   float64       `json:"logprobs_temperature"`
	LogProbsAtTemperature [][]float64   `json:"logprobs_at_temperature"`
	HiddenRow0            [][]float64   `json:"hidden_row0"`
	GreedyNewTokens       int           `json:"greedy_new_tokens"`
	GreedyIDs             [][]int       `json:"greedy_ids"`
	GreedyLogProbs        [][]float64   `json:"greedy_logprobs"`
	// GradRow0 holds the first 16 values of the gradient of sum(log-probs of row 0) for a few
	// parameters.
	GradRow0 map[string][]float64 `json:"grad_row0"`
}

var checkpoints = []string{"tiny-qwen2", "tiny-qwen2-sharded", "tiny-qwen2-tied"}

func readGoldens(t testing.TB, name string) goldens {
	data, err := os.ReadFile(filepath.Join("testdata", name+".goldens.json"))
	require.NoError(t, err)
	var g goldens
	require.NoError(t, json.Unmarshal(data, &g))
	return g
}

func loadTestdata(t testing.TB, name string) *model.Model {
	m, err := model.Load(filepath.Join("testdata", name), model.LoadOptions{})
	require.NoError(t, err)
	t.Cleanup(m.Free)
	return m
}

// ids64 makes a [len(rows), T] int64 tensor of equal-length rows.
func ids64(rows ...[]int) *tensor.Tensor {
	T := len(rows[0])
	flat := make([]int64, 0, len(rows)*T)
	for _, r := range rows {
		for _, id := range r {
			flat = append(flat, int64(id))
		}
	}
	return tensor.New(flat, int64(len(rows)), int64(T))
}

// maxAbsDiff compares a flat float32 slice with nested goldens.
func maxAbsDiff(t testing.TB, got []float32, want [][]float64) float64 {
	var flat []float64
	for _, r := range want {
		flat = append(flat, r...)
	}
	require.Len(t, got, len(flat))
	d := 0.0
	for i := range got {
		d = math.Max(d, math.Abs(float64(got[i])-flat[i]))
	}
	return d
}

func TestLogitsMatchReference(t *testing.T) {
	for _, name := range checkpoints {
		t.Run(name, func(t *testing.T) {
			m := loadTestdata(t, name)
			g := readGoldens(t, name)
			for i, row := range g.Rows {
				logits, err := m.Forward(ids64(row), model.ForwardOptions{})
				require.NoError(t, err)
				assert.Equal(t, []int64{1, int64(len(row)), 128}, logits.Shape())
				d := maxAbsDiff(t, logits.Float32s(), g.Logits[i])
				assert.LessOrEqual(t, d, 1e-4, "row %d: logits max abs diff", i)
				logits.Free()
			}
		})
	}
}

// padded lays rows out [B, L] with their real tokens at the left or right end.
func padded(rows [][]int, left bool) (ids, mask *tensor.Tensor, offsets []int) {
	L := 0
	for _, r := range rows {
		L = max(L, len(r))
	}
	idData := make([]int64, len(rows)*L)
	maskData := make([]int64, len(rows)*L)
	for b, r := range rows {
		off := 0
		if left {
			off = L - len(r)
		}
		offsets = append(offsets, off)
		for i, id := range r {
			idData[b*L+off+i] = int64(id)
			maskData[b*L+off+i] = 1
		}
	}
	return tensor.New(idData, int64(len(rows)), int64(L)), tensor.New(maskData, int64(len(rows)), int64(L)), offsets
}

func TestPaddedBatchMatchesReference(t *testing.T) {
	m := loadTestdata(t, "tiny-qwen2")
	g := readGoldens(t, "tiny-qwen2")
	for _, left := range []bool{true, false} {
		ids, mask, offsets := padded(g.Rows, left)
		logits, err := m.Forward(ids, model.ForwardOptions{AttentionMask: mask})
		require.NoError(t, err)
		L := int(ids.Size(1))
		all := logits.Float32s()
		for b, row := range g.Rows {
			start := (b*L + offsets[b]) * 128
			d := maxAbsDiff(t, all[start:start+len(row)*128], g.Logits[b])
			assert.LessOrEqual(t, d, 1e-4, "left=%v row %d", left, b)
		}
		for _, v := range all {
			require.False(t, math.IsNaN(float64(v)) || math.IsInf(float64(v), 0), "padding made a non-finite logit")
		}
	}
}

func TestPackedSegmentsMatchReference(t *testing.T) {
	m := loadTestdata(t, "tiny-qwen2")
	g := readGoldens(t, "tiny-qwen2")
	// Rows 1 and 0 packed into one row, then padding (segment 0).
	var packed, segs []int64
	for s, r := range [][]int{g.Rows[1], g.Rows[0]} {
		for _, id := range r {
			packed = append(packed, int64(id))
			segs = append(segs, int64(s+1))
		}
	}
	packed = append(packed, 0, 0)
	segs = append(segs, 0, 0)
	n := int64(len(packed))
	logits, err := m.Forward(tensor.New(packed, 1, n), model.ForwardOptions{SegmentIDs: tensor.New(segs, 1, n)})
	require.NoError(t, err)
	all := logits.Float32s()
	a := len(g.Rows[1])
	assert.LessOrEqual(t, maxAbsDiff(t, all[:a*128], g.Logits[1]), 1e-4)
	assert.LessOrEqual(t, maxAbsDiff(t, all[a*128:(a+len(g.Rows[0]))*128], g.Logits[0]), 1e-4)
}

func TestLogProbsMatchReference(t *testing.T) {
	for _, name := range checkpoints {
		t.Run(name, func(t *testing.T) {
			m := loadTestdata(t, name)
			g := readGoldens(t, name)
			for i, row := range g.Rows {
				for _, tc := range []struct {
					temperature float64
					want        []float64
				}{{0, g.LogProbs[i]}, {g.LogProbsTemperature, g.LogProbsAtTemperature[i]}} {
					lp, err := m.LogProbs(ids64(row), model.LogProbOptions{Temperature: tc.temperature})
					require.NoError(t, err)
					assert.Equal(t, []int64{1, int64(len(row) - 1)}, lp.Shape())
					assert.LessOrEqual(t, maxAbsDiff(t, lp.Float32s(), [][]float64{tc.want}), 1e-4, "row %d T=%v", i, tc.temperature)
				}
			}
		})
	}
}

func TestHiddenMatchesReference(t *testing.T) {
	m := loadTestdata(t, "tiny-qwen2")
	g := readGoldens(t, "tiny-qwen2")
	h, err := m.Hidden(ids64(g.Rows[0]), model.ForwardOptions{})
	require.NoError(t, err)
	assert.Equal(t, []int64{1, int64(len(g.Rows[0])), 32}, h.Shape())
	assert.LessOrEqual(t, maxAbsDiff(t, h.Float32s(), g.HiddenRow0), 1e-4)
}

func TestGreedyGenerationMatchesReference(t *testing.T) {
	for _, name := range checkpoints {
		t.Run(name, func(t *testing.T) {
			m := loadTestdata(t, name)
			g := readGoldens(t, name)
			// One batch of left-padded prompts of different lengths, decoded with the KV cache.
			gens, err := m.Generate(context.Background(), g.Rows, model.GenerateOptions{MaxNewTokens: g.GreedyNewTokens})
			require.NoError(t, err)
			require.Len(t, gens, len(g.Rows))
			for i, gen := range gens {
				assert.Equal(t, g.GreedyIDs[i], gen.IDs, "row %d", i)
				assert.Equal(t, model.StopLength, gen.Stop)
				require.Len(t, gen.LogProbs, g.GreedyNewTokens)
				for j, lp := range gen.LogProbs {
					assert.InDelta(t, g.GreedyLogProbs[i][j], lp, 1e-4, "row %d token %d", i, j)
				}
			}
		})
	}
}

func TestLogProbsEntropyMatchesTheLogits(t *testing.T) {
	m := loadTestdata(t, "tiny-qwen2")
	g := readGoldens(t, "tiny-qwen2")
	row := g.Rows[0]
	logits, err := m.Forward(ids64(row), model.ForwardOptions{})
	require.NoError(t, err)
	vocab := int(logits.Size(2))
	all := logits.Float32s()
	for _, temperature := range []float64{0, 0.6} {
		lp, ent, err := m.LogProbsEntropy(ids64(row), model.LogProbOptions{Temperature: temperature})
		require.NoError(t, err)
		plain, err := m.LogProbs(ids64(row), model.LogProbOptions{Temperature: temperature})
		require.NoError(t, err)
		assert.Equal(t, plain.Float32s(), lp.Float32s(), "T=%v: the log-probs do not depend on the entropy", temperature)
		require.Equal(t, []int64{1, int64(len(row) - 1)}, ent.Shape())
		tt := temperature
		if tt == 0 {
			tt = 1
		}
		got := ent.Float32s()
		for pos := 0; pos < len(row)-1; pos++ {
			z := all[pos*vocab : (pos+1)*vocab]
			maxZ := math.Inf(-1)
			for _, v := range z {
				maxZ = math.Max(maxZ, float64(v)/tt)
			}
			var sum float64
			for _, v := range z {
				sum += math.Exp(float64(v)/tt - maxZ)
			}
			logSum := maxZ + math.Log(sum)
			var want float64
			for _, v := range z {
				l := float64(v)/tt - logSum
				want -= math.Exp(l) * l
			}
			assert.InDelta(t, want, got[pos], 1e-4, "T=%v position %d", temperature, pos)
		}
	}
}
