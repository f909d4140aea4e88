package grpo

import (
	"errors"
	"fmt"
	"slices"

	"github.com/atomsearcher/atomsearcher/tensor"
)

// Inputs are the per-token tensors of one (micro-)batch of B trajectories padded to T tokens. All
// float tensors share one dtype and device.
type Inputs struct {
	// LogProbs [B, T] are the current policy's log-probs of the sampled tokens, with grad.
	LogProbs *tensor.Tensor
	// OldLogProbs [B, T] are the log-probs of the policy that sampled (the rollout's).
	OldLogProbs *tensor.Tensor
	// RefLogProbs [B, T] are the reference model's; nil is allowed only with KL: KLNone.
	RefLogProbs *tensor.Tensor
	// Advantages are [B] (one per trajectory) or [B, T] (token-level, see ProcessAdvantages).
	Advantages *tensor.Tensor
	// Mask [B, T] is 1 on tokens the policy generated and 0 on prompt, tool observations and
	// padding (any dtype; non-zero counts as 1). Values at masked positions, even Inf or NaN, do
	// not reach the loss or the gradient.
	Mask *tensor.Tensor
	// Entropy [B, T] is the policy's per-token entropy (an input: not differentiated); nil means
	// no entropy bonus and an Entropy metric of 0.
	Entropy *tensor.Tensor
}

// Loss is the result of PolicyLoss.
type Loss struct {
	// Loss is the scalar to call Backward on:
	// PG + KLCoef*KL - EntropyCoef*Entropy, each aggregated with Config.Agg and the Normalizer.
	Loss *tensor.Tensor
	// Metrics are read back from the device (one copy).
	Metrics Metrics
}

// Free releases the loss tensor.
func (l Loss) Free() { l.Loss.Free() }

// ErrShape is wrapped by the errors of PolicyLoss for inputs whose shapes do not agree.
var ErrShape = errors.New("grpo: input shapes do not agree")

// ErrBadAdvantage is wrapped by the error of PolicyLoss for a NaN or infinite advantage on a loss
// token.
var ErrBadAdvantage = errors.New("grpo: advantage is not a finite number")

// PolicyLoss is the clipped GRPO/PPO policy loss of one (micro-)batch. With d = logp - old (or,
// with SequenceImportance, the sequence's masked mean of it, the gradient flowing through the
// mean), clamped to ±LogRatioClamp when set, r = exp(d):
//
//	pg  = max(-A*r, -A*clamp(r, 1-ClipLow, 1+ClipHigh)), and min(pg, -A*DualClip) where A < 0
//	kl  = the KLEstimator per token (clamped per KLClamp)
//	loss = agg(pg) + KLCoef*agg(kl) - EntropyCoef*agg(entropy)
//
// agg is Config.Agg over the loss mask, divided by norm: pass the whole optimizer batch's
// Normalizer when the batch is split into micro-batches or shards, or the zero Normalizer when
// this call sees the whole batch. Data problems (mismatched shapes, a missing reference, a NaN
// advantage on a loss token, a bad config) are returned as errors.
func PolicyLoss(in Inputs, cfg Config, norm Normalizer) (Loss, error) {
	s, err := cfg.resolve()
	if err != nil {
		return Loss{}, err
	}
	if err := norm.check(); err != nil {
		return Loss{}, err
	}
	if err := checkInputs(in, s); err != nil {
		return Loss{}, err
	}
	var out Loss
	var dataErr error
	if err := tensor.Maybe(func() {
		scope := tensor.NewScope()
		defer scope.Close()
		out, dataErr = policyLoss(in, s, norm)
		if dataErr == nil {
			scope.Keep(out.Loss)
		}
	}); err != nil {
		return Loss{}, err
	}
	if dataErr != nil {
		return Loss{}, dataErr
	}
	return out, nil
}

func checkInputs(in Inputs, s settings) error {
	if in.LogProbs == nil || in.OldLogProbs == nil || in.Advantages == nil || in.Mask == nil {
		return fmt.Errorf("%w: LogProbs, OldLogProbs, Advantages and Mask are required", ErrShape)
	}
	shape := in.LogProbs.Shape()
	if len(shape) != 2 {
		return fmt.Errorf("%w: LogProbs is %v, want [B, T]", ErrShape, shape)
	}
	named := []struct {
		name string
		t    *tensor.Tensor
	}{{"OldLogProbs", in.OldLogProbs}, {"Mask", in.Mask}, {"RefLogProbs", in.RefLogProbs}, {"Entropy", in.Entropy}}
	for _, n := range named {
		if n.t == nil {
			continue
		}
		if got := n.t.Shape(); !slices.Equal(got, shape) {
			return fmt.Errorf("%w: %s is %v, LogProbs is %v", ErrShape, n.name, got, shape)
		}
	}
	if a := in.Advantages.Shape(); !slices.Equal(a, shape) && !slices.Equal(a, shape[:1]) {
		return fmt.Errorf("%w: Advantages is %v, want [%d] or %v", ErrShape, a, shape[0], shape)
	}
	if in.RefLogProbs == nil && s.kl != KLNone {
		return fmt.Errorf("%w: RefLogProbs is nil but the KL estimator needs it (use KL: KLNone)", ErrShape)
	}
	dt := in.LogProbs.DType()
	if !dt.IsFloat() {
		return fmt.Errorf("%w: LogProbs dtype %v is not floating point", ErrShape, dt)
	}
	return nil
}

// policyLoss builds the loss with as few [B, T] temporaries as the formula allows: the
// advantages and log-ratios are zeroed off the mask once (a select against a 0-dim zero), which
// makes pg and the KL estimators exactly 0 there without masking them again.
func policyLoss(in Inputs, s settings, norm Normalizer) (Loss, error) {
	logp := in.LogProbs
	dt := logp.DType()
	as := func(t *tensor.Tensor) *tensor.Tensor {
		if t.DType() == dt {
			return t
		}
		return t.ToDType(dt)
	}
	ag := newAggregator(s, in.Mask.NeScalar(0), dt, norm)

	// [B] advantages are [B, 1] here; masked broadcasts them to [B, T].
	adv := as(in.Advantages)
	if adv.Dim() == 1 {
		adv = adv.Unsqueeze(1)
	}
	adv = ag.masked(adv)
	if !adv.IsFinite().All().Bool() {
		return Loss{}, fmt.Errorf("%w (on a loss token)", ErrBadAdvantage)
	}

	tokenLogRatio := ag.masked(logp.Sub(as(in.OldLogProbs)))
	d := tokenLogRatio
	if s.importance == SequenceImportance {
		w := d.SumDims([]int{-1}, false).Div(ag.sequenceCounts().ClampMin(1))
		d = ag.masked(w.Unsqueeze(1))
	}
	if s.logRatioClamp > 0 {
		d = d.Clamp(-s.logRatioClamp, s.logRatioClamp)
	}
	// Off the mask d = 0, so ratio = 1 and, with A = 0 there, pg = 0.
	ratio := d.Exp()
	negAdv := adv.Neg()
	unclipped := negAdv.Mul(ratio)
	clipped := negAdv.Mul(ratio.Clamp(1-s.clipLow, 1+s.clipHigh))
	pg := unclipped.Maximum(clipped)
	var dualClipped *tensor.Tensor
	if s.dualClip > 0 {
		bound := negAdv.MulScalar(s.dualClip)
		negative := adv.LtScalar(0)
		dualClipped = negative.LogicalAnd(pg.Gt(bound))
		pg = tensor.Where(negative, pg.Minimum(bound), pg)
	}
	pgLoss := ag.of(pg)
	loss := pgLoss

	klLoss := ag.zero
	if s.kl != KLNone {
		klLoss = ag.of(klPerToken(ag.masked(as(in.RefLogProbs).Sub(logp)), s.kl, s.klClamp))
		if s.klCoef != 0 {
			loss = loss.Add(klLoss.MulScalar(s.klCoef))
		}
	}
	entLoss := ag.zero
	var ent *tensor.Tensor
	if in.Entropy != nil {
		tensor.NoGrad(func() { ent = ag.masked(as(in.Entropy)) })
		entLoss = ag.of(ent)
		if s.entropyCoef != 0 {
			loss = loss.Sub(entLoss.MulScalar(s.entropyCoef))
		}
	}
	var m Metrics
	tensor.NoGrad(func() {
		m = metricsOf(ag, metricInputs{
			adv: adv, ratio: ratio, unclipped: unclipped, clipped: clipped,
			dualClipped: dualClipped, tokenLogRatio: tokenLogRatio, entropy: ent,
			pgLoss: pgLoss, klLoss: klLoss, entLoss: entLoss,
		})
	})
	return Loss{Loss: loss, Metrics: m}, nil
}
