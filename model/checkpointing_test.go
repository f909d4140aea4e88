package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atomsearcher/atomsearcher/tensor"
)

// lossAndGrads runs LogProbs with o over ids, backpropagates the sum, and returns the log-probs
// and every parameter's gradient (then clears them), plus the high-water mark of CPU tensor memory
// above the memory live before the call.
func lossAndGrads(t *testing.T, m *Model, ids *tensor.Tensor, o LogProbOptions) ([]float64, map[string][]float64, int64) {
	t.Helper()
	var out []float64
	grads := map[string][]float64{}
	live0, _, _ := tensor.CPUMemory()
	tensor.ResetCPUPeak()
	tensor.WithScope(func(*tensor.Scope) {
		lp, err := m.LogProbs(ids, o)
		require.NoError(t, err)
		lp.Sum().Backward()
		out = lp.Detach().ToDType(tensor.Float64).Float64s()
	})
	_, peak, _ := tensor.CPUMemory()
	for _, p := range m.Parameters() {
		tensor.WithScope(func(*tensor.Scope) {
			g := p.Tensor.Grad()
			require.NotNil(t, g, p.Name)
			grads[p.Name] = g.ToDType(tensor.Float64).Float64s()
		})
		p.Tensor.ZeroGrad()
	}
	return out, grads, peak - live0
}

func TestCheckpointMatchesPlain(t *testing.T) {
	cases := []struct {
		name string
		mask bool
	}{{"causal", false}, {"padded", true}}
	for i, tc := range cases {
		m, err := New(TinyConfig(), InitOptions{Seed: 7, DType: tensor.Float64})
		require.NoError(t, err)
		require.NoError(t, m.SetRequiresGrad(true))
		before := SettledLive()
		tensor.WithScope(func(*tensor.Scope) {
			ids := tensor.New([]int64{5, 9, 3, 7, 1, 2, 8, 4, 6, 10, 11, 12, 13, 14, 15, 16}, 2, 8)
			var o LogProbOptions
			if tc.mask {
				o.AttentionMask = tensor.New([]int64{0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 2, 8)
			}
			want, wantGrads, _ := lossAndGrads(t, m, ids, o)
			o.Checkpoint = true
			got, gotGrads, _ := lossAndGrads(t, m, ids, o)
			assert.InDeltaSlice(t, want, got, 1e-12, "case %d (%s): log-probs", i, tc.name)
			require.Len(t, gotGrads, len(wantGrads))
			for name, g := range wantGrads {
				assert.InDeltaSlice(t, g, gotGrads[name], 1e-12, "case %d (%s): grad of %s", i, tc.name, name)
			}
		})
		assert.Equal(t, before, SettledLive(), "case %d: leak", i)
		m.Free()
	}
}

func TestCheckpointLowersPeakMemory(t *testing.T) {
	if _, _, ok := tensor.CPUMemory(); !ok {
		t.Skip("the binding's CPU allocator is not installed")
	}
	c := TinyConfig()
	c.NumHiddenLayers = 6
	c.MaxPositionEmbeddings = 512
	m, err := New(c, InitOptions{Seed: 1})
	require.NoError(t, err)
	defer m.Free()
	require.NoError(t, m.SetRequiresGrad(true))
	const T = 512
	tensor.WithScope(func(*tensor.Scope) {
		ids := tensor.Randint(0, int64(c.VocabSize), []int64{1, T}, tensor.Int64, tensor.CPU)
		_, _, plain := lossAndGrads(t, m, ids, LogProbOptions{})
		_, _, ckpt := lossAndGrads(t, m, ids, LogProbOptions{ForwardOptions: ForwardOptions{Checkpoint: true}})
		t.Logf("peak tensor memory over %d layers, T=%d: plain %.1f MiB, checkpointed %.1f MiB", c.NumHiddenLayers, T, float64(plain)/(1<<20), float64(ckpt)/(1<<20))
		assert.Less(t, float64(ckpt), 0.5*float64(plain))
	})
}
