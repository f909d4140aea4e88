package grpo

import (
	"fmt"
	"math"

	"github.com/atomsearcher/atomsearcher/tensor"
)

// Normalizer holds the denominators of the loss aggregation for the whole optimizer batch. The
// loss of a micro-batch (or of a data-parallel shard) divided by the full batch's Normalizer is
// that micro-batch's share of the full-batch loss: summing the shares (accumulating their
// gradients, or all-reducing gradients with SUM) gives exactly the full-batch loss and gradient,
// whatever the split. Normalizing each micro-batch by its own token count instead (the zero
// Normalizer) over-weights the tokens of short micro-batches — the gradient-accumulation bug TRL
// and verl users hit.
//
// Build it with NormalizerOf over the masks of every micro-batch, summing with Add (all-reduce the
// three numbers across shards).
type Normalizer struct {
	// Tokens is the number of unmasked tokens (token-mean).
	Tokens float64
	// Sequences is the number of sequences with at least one unmasked token (seq-mean-*).
	Sequences float64
	// Rows is the number of sequences, empty ones included (seq-mean-token-sum-norm).
	Rows float64
}

// NormalizerOf counts the tokens, non-empty sequences and rows of a [B, T] loss mask (one copy of
// three numbers from the device).
func NormalizerOf(mask *tensor.Tensor) Normalizer {
	var n Normalizer
	tensor.NoGrad(func() {
		s := tensor.NewScope()
		defer s.Close()
		m := mask.GtScalar(0).ToDType(tensor.Float64)
		perSeq := m.SumDims([]int{-1}, false)
		v := tensor.Stack([]*tensor.Tensor{m.Sum(), perSeq.GtScalar(0).ToDType(tensor.Float64).Sum()}, 0).Float64s()
		n = Normalizer{Tokens: v[0], Sequences: v[1], Rows: float64(mask.Size(0))}
	})
	return n
}

// Add returns the normalizer of two disjoint parts of a batch together.
func (n Normalizer) Add(o Normalizer) Normalizer {
	return Normalizer{Tokens: n.Tokens + o.Tokens, Sequences: n.Sequences + o.Sequences, Rows: n.Rows + o.Rows}
}

// IsZero reports whether n is the zero Normalizer (each call normalizes by its own batch).
func (n Normalizer) IsZero() bool { return n == Normalizer{} }

func (n Normalizer) check() error {
	for _, v := range []float64{n.Tokens, n.Sequences, n.Rows} {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return fmt.Errorf("%w: normalizer %+v", errBadConfig, n)
		}
	}
	return nil
}

// aggregator reduces [B, T] per-token values to the loss scalar with one aggregation mode. The
// counts it needs are made on first use, so a mode pays only for its own denominators.
type aggregator struct {
	agg     Aggregation
	mask    *tensor.Tensor // [B, T] bool
	zero    *tensor.Tensor // 0-dim zero in the value dtype, broadcast by masked
	dtype   tensor.DType
	norm    Normalizer
	normLen int
	// counts (tensors, no device sync), made by the accessors below
	tokens, tokenDen, seqCount, validSeqs *tensor.Tensor
}

func newAggregator(s settings, mask *tensor.Tensor, dtype tensor.DType, norm Normalizer) *aggregator {
	a := &aggregator{agg: s.agg, mask: mask, dtype: dtype, norm: norm, normLen: s.normLen}
	if a.normLen == 0 {
		a.normLen = int(mask.Size(1))
	}
	a.zero = tensor.Zeros([]int64{}, dtype, mask.Device())
	return a
}

// tokenCount is the number of loss tokens (0-dim, value dtype).
func (a *aggregator) tokenCount() *tensor.Tensor {
	if a.tokens == nil {
		a.tokens = a.mask.Sum().ToDType(a.dtype)
	}
	return a.tokens
}

// tokenDenominator is max(tokenCount, 1).
func (a *aggregator) tokenDenominator() *tensor.Tensor {
	if a.tokenDen == nil {
		a.tokenDen = a.tokenCount().ClampMin(1)
	}
	return a.tokenDen
}

// sequenceCounts are the loss tokens of each sequence ([B], value dtype).
func (a *aggregator) sequenceCounts() *tensor.Tensor {
	if a.seqCount == nil {
		a.seqCount = a.mask.SumDims([]int{-1}, false).ToDType(a.dtype)
	}
	return a.seqCount
}

// masked zeroes x off the loss mask with a select, not a product, so that Inf or NaN on masked
// positions cannot leak into the loss (x may be [B, 1]: it is broadcast to [B, T]).
func (a *aggregator) masked(x *tensor.Tensor) *tensor.Tensor {
	return tensor.Where(a.mask, x, a.zero)
}

// of aggregates x [B, T]; x must already be zero off the mask.
func (a *aggregator) of(x *tensor.Tensor) *tensor.Tensor {
	switch a.agg {
	case TokenMean:
		if a.norm.IsZero() {
			return x.Sum().Div(a.tokenDenominator())
		}
		return x.Sum().DivScalar(math.Max(a.norm.Tokens, 1))
	case SeqMeanTokenMean, SeqMeanTokenSum:
		perSeq := x.SumDims([]int{-1}, false)
		if a.agg == SeqMeanTokenMean {
			perSeq = perSeq.Div(a.sequenceCounts().ClampMin(1))
		}
		if a.norm.IsZero() {
			if a.validSeqs == nil {
				a.validSeqs = a.sequenceCounts().GtScalar(0).Sum().ToDType(a.dtype).ClampMin(1)
			}
			return perSeq.Sum().Div(a.validSeqs)
		}
		return perSeq.Sum().DivScalar(math.Max(a.norm.Sequences, 1))
	default: // SeqMeanTokenSumNorm
		rows := float64(a.mask.Size(0))
		if !a.norm.IsZero() {
			rows = a.norm.Rows
		}
		return x.Sum().DivScalar(math.Max(rows, 1) * float64(a.normLen))
	}
}
