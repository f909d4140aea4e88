package grpo

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atomsearcher/atomsearcher/tensor"
)

// naiveLogProbs is log_softmax over the whole [.., V] then gather: the reference the chunked and
// fused paths must equal.
func naiveLogProbs(logits, targets *tensor.Tensor) (logp, entropy *tensor.Tensor) {
	ls := logits.LogSoftmax(-1)
	logp = ls.Gather(-1, targets.Unsqueeze(-1)).Squeeze(-1)
	tensor.NoGrad(func() { entropy = ls.Exp().Mul(ls).SumDims([]int{-1}, false).Neg() })
	return logp, entropy
}

func TestSelectiveLogProbsMatchNaive(t *testing.T) {
	tensor.ManualSeed(11)
	for _, chunk := range []int{1, 4, 7, 100, 0} {
		s := tensor.NewScope()
		logits := tensor.Randn([]int64{3, 5, 13}, tensor.Float64, tensor.CPU).MulScalar(3).SetRequiresGrad(true)
		targets := tensor.Randint(0, 13, []int64{3, 5}, tensor.Int64, tensor.CPU)
		upstream := tensor.Randn([]int64{3, 5}, tensor.Float64, tensor.CPU)

		want, wantEnt := naiveLogProbs(logits, targets)
		want.Mul(upstream).Sum().Backward()
		wantGrad := logits.Grad().Clone()
		logits.ZeroGrad()

		got, gotEnt := SelectiveLogProbs(logits, targets, LogProbOptions{Chunk: chunk, Entropy: true})
		require.Equal(t, []int64{3, 5}, got.Shape())
		assert.False(t, gotEnt.RequiresGrad())
		got.Mul(upstream).Sum().Backward()
		assertClose(t, want.Float64s(), got.Float64s(), 1e-13, "logp chunk", chunk)
		assertClose(t, wantEnt.Float64s(), gotEnt.Float64s(), 1e-13, "entropy chunk", chunk)
		assertClose(t, wantGrad.Float64s(), logits.Grad().Float64s(), 1e-13, "grad chunk", chunk)
		s.Close()
	}
}

func TestFusedLogProbsMatchNaive(t *testing.T) {
	tensor.ManualSeed(12)
	for _, test := range []struct {
		chunk, vocabChunk int
		temp              float64
		scale             float64 // of the weight: large values spread the block maxima apart
		dtype             tensor.DType
		tol               float64
	}{
		{1, 0, 1, 1, tensor.Float64, 1e-12},
		{3, 0, 0.7, 1, tensor.Float64, 1e-12},
		{64, 0, 1.3, 1, tensor.Float64, 1e-12},
		{0, 0, 1, 1, tensor.Float64, 1e-12},
		{5, 0, 0.9, 1, tensor.Float32, 2e-5},
		// Tiles narrower than the vocabulary: the log-sum-exp and entropy combine across blocks.
		{3, 4, 1, 1, tensor.Float64, 1e-12},
		{0, 5, 0.8, 8, tensor.Float64, 1e-12},
		{14, 7, 1, 8, tensor.Float64, 1e-12},
		{4, 18, 1.2, 3, tensor.Float64, 1e-12},
		{6, 19, 1, 1, tensor.Float64, 1e-12},
		{5, 6, 0.9, 3, tensor.Float32, 2e-5},
	} {
		s := tensor.NewScope()
		hidden := tensor.Randn([]int64{2, 7, 6}, test.dtype, tensor.CPU).SetRequiresGrad(true)
		weight := tensor.Randn([]int64{19, 6}, test.dtype, tensor.CPU).MulScalar(test.scale).SetRequiresGrad(true)
		targets := tensor.Randint(0, 19, []int64{2, 7}, tensor.Int64, tensor.CPU)
		upstream := tensor.Randn([]int64{2, 7}, test.dtype, tensor.CPU)

		logits := hidden.Matmul(weight.Transpose(0, 1)).DivScalar(test.temp)
		want, wantEnt := naiveLogProbs(logits, targets)
		want.Mul(upstream).Sum().Backward()
		wantH, wantW := hidden.Grad().Clone(), weight.Grad().Clone()
		hidden.ZeroGrad()
		weight.ZeroGrad()

		temp := test.temp
		if temp == 1 {
			temp = 0 // the default
		}
		opts := LogProbOptions{Chunk: test.chunk, VocabChunk: test.vocabChunk, Temperature: temp}
		withEnt := opts
		withEnt.Entropy = true
		got, gotEnt := FusedLogProbs(hidden, weight, targets, withEnt)
		require.Equal(t, []int64{2, 7}, got.Shape())
		got.Mul(upstream).Sum().Backward()
		f64 := func(x *tensor.Tensor) []float64 { return x.ToDType(tensor.Float64).Float64s() }
		assertClose(t, f64(want), f64(got), test.tol, "logp", test)
		assertClose(t, f64(wantEnt), f64(gotEnt), test.tol, "entropy", test)
		assertClose(t, f64(wantH), f64(hidden.Grad()), test.tol, "grad hidden", test)
		assertClose(t, f64(wantW), f64(weight.Grad()), test.tol, "grad weight", test)

		// Without grad and without entropy: values only, no graph.
		tensor.NoGrad(func() {
			lp, ent := FusedLogProbs(hidden, weight, targets, opts)
			assert.Nil(t, ent)
			assert.False(t, lp.RequiresGrad())
			assertClose(t, f64(want), f64(lp), test.tol, "no-grad logp", test)
		})

		// Only the weight needs a gradient (a frozen trunk): the same weight gradient.
		weight.ZeroGrad()
		frozen := hidden.Detach()
		lp, _ := FusedLogProbs(frozen, weight, targets, opts)
		lp.Mul(upstream).Sum().Backward()
		assertClose(t, f64(wantW), f64(weight.Grad()), test.tol, "grad weight, frozen hidden", test)
		weight.ZeroGrad()
		s.Close()
	}
}

func TestFusedLogProbsBFloat16(t *testing.T) {
	s := tensor.NewScope()
	defer s.Close()
	tensor.ManualSeed(13)
	hidden := tensor.Randn([]int64{9, 8}, tensor.Float32, tensor.CPU)
	weight := tensor.Randn([]int64{31, 8}, tensor.Float32, tensor.CPU)
	targets := tensor.Randint(0, 31, []int64{9}, tensor.Int64, tensor.CPU)
	hb := hidden.ToDType(tensor.BFloat16).SetRequiresGrad(true)
	wb := weight.ToDType(tensor.BFloat16).SetRequiresGrad(true)
	lp, _ := FusedLogProbs(hb, wb, targets, LogProbOptions{Chunk: 4})
	assert.Equal(t, tensor.Float32, lp.DType(), "the softmax of bfloat16 inputs is taken in float32")
	want, _ := naiveLogProbs(hb.ToDType(tensor.Float32).Matmul(wb.ToDType(tensor.Float32).Transpose(0, 1)), targets)
	assertClose(t, want.ToDType(tensor.Float64).Float64s(), lp.ToDType(tensor.Float64).Float64s(), 5e-2)
	lp.Sum().Backward()
	assert.Equal(t, tensor.BFloat16, hb.Grad().DType())
	assert.Equal(t, tensor.BFloat16, wb.Grad().DType())
}

func TestLogProbsShapeErrors(t *testing.T) {
	s := tensor.NewScope()
	defer s.Close()
	h := tensor.Zeros([]int64{4, 6}, tensor.Float32, tensor.CPU)
	w := tensor.Zeros([]int64{10, 6}, tensor.Float32, tensor.CPU)
	ids := tensor.Zeros([]int64{4}, tensor.Int64, tensor.CPU)
	for i, f := range []func(){
		func() {
			FusedLogProbs(h, tensor.Zeros([]int64{10, 5}, tensor.Float32, tensor.CPU), ids, LogProbOptions{})
		},
		func() { FusedLogProbs(h, w, tensor.Zeros([]int64{3}, tensor.Int64, tensor.CPU), LogProbOptions{}) },
		func() { FusedLogProbs(h, w, tensor.Zeros([]int64{4}, tensor.Float32, tensor.CPU), LogProbOptions{}) },
		func() { FusedLogProbs(h, w, tensor.Full([]int64{4}, 10, tensor.Int64, tensor.CPU), LogProbOptions{}) },
		func() { FusedLogProbs(h, w, tensor.Full([]int64{4}, -1, tensor.Int64, tensor.CPU), LogProbOptions{}) },
		func() { FusedLogProbs(h, w.ToDType(tensor.Float64), ids, LogProbOptions{}) },
		func() { FusedLogProbs(h, w, ids, LogProbOptions{Temperature: -1}) },
		func() { FusedLogProbs(h, w, ids, LogProbOptions{Chunk: -2}) },
		func() {
			SelectiveLogProbs(tensor.Zeros([]int64{4, 10}, tensor.Float32, tensor.CPU), ids, LogProbOptions{Chunk: -1})
		},
		func() {
			SelectiveLogProbs(tensor.Zeros([]int64{4, 10}, tensor.Float32, tensor.CPU), tensor.Zeros([]int64{5}, tensor.Int64, tensor.CPU), LogProbOptions{})
		},
		func() {
			SelectiveLogProbs(tensor.Zeros([]int64{4, 10}, tensor.Float32, tensor.CPU), tensor.Zeros([]int64{2, 2}, tensor.Int64, tensor.CPU), LogProbOptions{})
		},
	} {
		err := tensor.Maybe(f)
		var te *tensor.Error
		assert.ErrorAs(t, err, &te, "case %d", i)
	}
}
