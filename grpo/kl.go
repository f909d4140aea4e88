package grpo

import "github.com/atomsearcher/atomsearcher/tensor"

// klPerToken is the per-token KL estimator between the policy and the reference, given
// x = ref_logp - logp [B, T] already zero off the loss mask (so every value is finite there, and
// every estimator is 0 there, clamped or not).
//
//	K1: logp - ref = -x
//	K2: 0.5 * (logp - ref)^2 = 0.5 * x^2
//	K3: exp(x) - x - 1 (x clamped to ±20 first when clamp > 0, as verl's low_var_kl)
//
// With clamp > 0 the value is then clamped to ±clamp.
func klPerToken(x *tensor.Tensor, kind KLEstimator, clamp float64) *tensor.Tensor {
	var v *tensor.Tensor
	switch kind {
	case K1:
		v = x.Neg()
	case K2:
		v = x.Square().MulScalar(0.5)
	default: // K3
		if clamp > 0 {
			x = x.Clamp(-20, 20)
		}
		v = x.Exp().Sub(x).SubScalar(1)
	}
	if clamp > 0 {
		v = v.Clamp(-clamp, clamp)
	}
	return v
}
