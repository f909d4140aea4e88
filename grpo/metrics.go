package grpo

import (
	"math"

	"github.com/atomsearcher/atomsearcher/tensor"
)

// Metrics describe one PolicyLoss call. The fractions, means and extremes are over this call's
// loss tokens (combine micro-batches weighting by Tokens); the three losses are the aggregated
// terms as they entered the loss (with the Normalizer given, so they add up across micro-batches).
type Metrics struct {
	// PGLoss, KLLoss and EntropyLoss are agg(pg), agg(kl) and agg(entropy).
	PGLoss, KLLoss, EntropyLoss float64
	// ClipFrac is the fraction of loss tokens whose clipped term won (the clipped surrogate is
	// larger than the unclipped one); ClipFracHigh counts those with A > 0 (ratio above
	// 1+ClipHigh), ClipFracLow those with A < 0 (ratio below 1-ClipLow).
	ClipFrac, ClipFracHigh, ClipFracLow float64
	// DualClipFrac is the fraction of loss tokens bounded by the dual clip.
	DualClipFrac float64
	// ApproxKL is the mean over loss tokens of old_logp - logp (verl's ppo_kl).
	ApproxKL float64
	// Entropy is the mean token entropy over loss tokens (0 without an Entropy input).
	Entropy float64
	// RatioMean, RatioMin and RatioMax describe the importance ratios of loss tokens.
	RatioMean, RatioMin, RatioMax float64
	// AdvantageMean, AdvantageStd (population), AdvantageMin and AdvantageMax describe the
	// advantages of loss tokens.
	AdvantageMean, AdvantageStd, AdvantageMin, AdvantageMax float64
	// Tokens is the number of loss tokens of this call.
	Tokens float64
}

// metricInputs are the [B, T] tensors of the loss the metrics come from; adv, tokenLogRatio and
// entropy (nil without an Entropy input) are already zero off the mask.
type metricInputs struct {
	adv, ratio, unclipped, clipped, dualClipped, tokenLogRatio, entropy *tensor.Tensor
	pgLoss, klLoss, entLoss                                             *tensor.Tensor
}

// metricsOf reduces everything to scalars on the device and copies them back at once. The [B, T]
// temporaries are freed as soon as they are reduced, so the next one reuses their memory.
func metricsOf(ag *aggregator, in metricInputs) Metrics {
	mask, dt := ag.mask, ag.dtype
	tokens := ag.tokenCount()
	den := ag.tokenDenominator()
	// sum reduces a temporary and frees it.
	sum := func(x *tensor.Tensor) *tensor.Tensor {
		s := x.Sum()
		x.Free()
		return s
	}
	inf := tensor.Full([]int64{}, math.Inf(1), dt, mask.Device())
	minOf := func(x *tensor.Tensor) *tensor.Tensor {
		v := tensor.Where(mask, x, inf)
		out := v.Min()
		v.Free()
		return out
	}
	negInf := inf.Neg()
	maxOf := func(x *tensor.Tensor) *tensor.Tensor {
		v := tensor.Where(mask, x, negInf)
		out := v.Max()
		v.Free()
		return out
	}
	// won, won with A > 0 and won with A < 0 are false off the mask, where A = 0 and both
	// surrogate terms are 0.
	won := in.clipped.Gt(in.unclipped)
	pos := in.adv.GtScalar(0)
	neg := in.adv.LtScalar(0)
	counts := []*tensor.Tensor{sum(won.LogicalAnd(pos)), sum(won.LogicalAnd(neg)), won.Sum()}
	won.Free()
	pos.Free()
	neg.Free()
	if in.dualClipped != nil {
		counts = append(counts, in.dualClipped.Sum())
	}
	c := tensor.Stack(counts, 0).ToDType(dt)
	zero := ag.zero
	dual, ent := zero, zero
	if in.dualClipped != nil {
		dual = c.Select(0, 3)
	}
	if in.entropy != nil {
		ent = in.entropy.Sum()
	}
	advMean := in.adv.Sum().Div(den)
	centered := tensor.Where(mask, in.adv.Sub(advMean), zero)
	advVar := sum(centered.Mul(centered)).Div(den)
	centered.Free()
	vals := tensor.Stack([]*tensor.Tensor{
		in.pgLoss.ToDType(dt), in.klLoss.ToDType(dt), in.entLoss.ToDType(dt),
		c.Select(0, 2).Div(den), c.Select(0, 0).Div(den), c.Select(0, 1).Div(den),
		dual.Div(den), in.tokenLogRatio.Sum().Neg().Div(den), ent.Div(den),
		sum(tensor.Where(mask, in.ratio, zero)).Div(den), minOf(in.ratio), maxOf(in.ratio),
		advMean, advVar.Sqrt(), minOf(in.adv), maxOf(in.adv),
		tokens,
	}, 0).ToDType(tensor.Float64).Float64s()
	out := Metrics{
		PGLoss: vals[0], KLLoss: vals[1], EntropyLoss: vals[2],
		ClipFrac: vals[3], ClipFracHigh: vals[4], ClipFracLow: vals[5], DualClipFrac: vals[6],
		ApproxKL: vals[7], Entropy: vals[8],
		RatioMean: vals[9], RatioMin: vals[10], RatioMax: vals[11],
		AdvantageMean: vals[12], AdvantageStd: vals[13], AdvantageMin: vals[14], AdvantageMax: vals[15],
		Tokens: vals[16],
	}
	if out.Tokens == 0 {
		out.RatioMin, out.RatioMax, out.AdvantageMin, out.AdvantageMax = 0, 0, 0, 0
	}
	return out
}
