package grpo

import (
	"fmt"

	"github.com/atomsearcher/atomsearcher/tensor"
)

// LogProbOptions tunes SelectiveLogProbs and FusedLogProbs. The zero value is an automatic chunk
// size, temperature 1 and no entropy.
type LogProbOptions struct {
	// Chunk is the number of tokens whose softmax is taken at once; 0 picks about 64 MiB of
	// float32 [Chunk, V] per chunk for SelectiveLogProbs and the automatic tiling of
	// tensor.FusedLogProbs (up to 4096 tokens by as much of the vocabulary as fits 128 MiB) for
	// FusedLogProbs.
	Chunk int
	// VocabChunk is the number of vocabulary entries per tile of FusedLogProbs (only there); 0
	// means the whole vocabulary when Chunk is set, else automatic. See tensor.FusedLogProbOptions.
	VocabChunk int
	// Temperature divides the logits (FusedLogProbs only: divide held logits once yourself).
	Temperature float64
	// Entropy asks for the per-token entropy too (computed without grad).
	Entropy bool
}

func (o LogProbOptions) chunkRows(op string, vocab int64) int64 {
	if o.Chunk < 0 {
		panic(&tensor.Error{Op: op, Msg: fmt.Sprintf("negative chunk %d", o.Chunk)})
	}
	if o.Chunk > 0 {
		return int64(o.Chunk)
	}
	return max(1, (64<<20)/(4*max(vocab, 1)))
}

// SelectiveLogProbs returns log_softmax(logits)[targets] for logits [..., V] and int64 targets
// [...] (any leading shape, [B, T] typically), one chunk of tokens at a time, so the [tokens, V]
// log_softmax is never made: without grad (old and reference log-probs) the extra memory is one
// chunk; with grad, autograd keeps only views of the logits and [chunk] vectors. With
// opts.Entropy it also returns the per-token entropy (no grad). Results have the targets' shape and
// the logits' dtype (float32 for half and bfloat16 logits, whose chunks are upcast).
//
// Shape errors panic with a *tensor.Error.
func SelectiveLogProbs(logits, targets *tensor.Tensor, opts LogProbOptions) (logp, entropy *tensor.Tensor) {
	shape := targets.Shape()
	v := logits.Size(-1)
	if got := logits.Shape(); len(got) != len(shape)+1 {
		panic(&tensor.Error{Op: "grpo.SelectiveLogProbs", Msg: fmt.Sprintf("logits %v do not match targets %v", got, shape)})
	}
	scope := tensor.NewScope()
	defer scope.Close()
	flat := logits.Reshape(-1, v)
	ids := targets.Reshape(-1)
	n := flat.Size(0)
	if ids.Size(0) != n {
		panic(&tensor.Error{Op: "grpo.SelectiveLogProbs", Msg: fmt.Sprintf("logits %v do not match targets %v", logits.Shape(), shape)})
	}
	acc := flat.DType()
	if acc != tensor.Float64 {
		acc = tensor.Float32
	}
	chunk := opts.chunkRows("grpo.SelectiveLogProbs", v)
	var parts, ents []*tensor.Tensor
	for s := int64(0); s < n; s += chunk {
		l := min(chunk, n-s)
		x := flat.Narrow(0, s, l)
		if x.DType() != acc {
			x = x.ToDType(acc)
		}
		lse := x.LogSumExp([]int{-1}, false)
		tgt := x.Gather(1, ids.Narrow(0, s, l).Unsqueeze(1)).Squeeze(1)
		parts = append(parts, tgt.Sub(lse))
		if opts.Entropy {
			tensor.NoGrad(func() {
				p := x.Softmax(-1)
				ents = append(ents, lse.Sub(p.Mul(x).SumDims([]int{-1}, false)))
			})
		}
	}
	if len(parts) == 0 {
		logp = tensor.Zeros(shape, acc, logits.Device())
		if opts.Entropy {
			entropy = tensor.Zeros(shape, acc, logits.Device())
		}
	} else {
		logp = tensor.Cat(parts, 0).Reshape(shape...)
		if opts.Entropy {
			tensor.NoGrad(func() { entropy = tensor.Cat(ents, 0).Reshape(shape...) })
		}
	}
	scope.Keep(logp, entropy)
	return logp, entropy
}

// FusedLogProbs returns log_softmax(hidden @ weightᵀ / temperature)[targets] for hidden [..., H],
// the lm_head weight [V, H] and int64 targets [...], without making the [tokens, V] logits: the
// forward works in tiles of [tokens, vocabulary block] and the backward (a custom autograd
// function in the tensor shim) recomputes each tile's logits; gradients for hidden and weight are
// exact. With opts.Entropy it also returns the per-token entropy (no grad). See
// tensor.FusedLogProbs for the tiling and its memory/time trade-off.
func FusedLogProbs(hidden, weight, targets *tensor.Tensor, opts LogProbOptions) (logp, entropy *tensor.Tensor) {
	shape := targets.Shape()
	scope := tensor.NewScope()
	defer scope.Close()
	if opts.Chunk < 0 || opts.VocabChunk < 0 {
		panic(&tensor.Error{Op: "grpo.FusedLogProbs", Msg: fmt.Sprintf("negative chunk %d or vocabulary chunk %d", opts.Chunk, opts.VocabChunk)})
	}
	h := hidden.Reshape(-1, hidden.Size(-1))
	lp, ent := tensor.FusedLogProbs(h, weight, targets.Reshape(-1), tensor.FusedLogProbOptions{
		Chunk: opts.Chunk, VocabChunk: opts.VocabChunk, Temperature: opts.Temperature, Entropy: opts.Entropy,
	})
	logp = lp.Reshape(shape...)
	if ent != nil {
		entropy = ent.Reshape(shape...)
	}
	scope.Keep(logp, entropy)
	return logp, entropy
}
