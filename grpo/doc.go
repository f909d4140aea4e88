// Package grpo is the GRPO optimizer of the trainer: advantages from group rewards, the clipped
// policy loss with KL and entropy terms, loss aggregation that survives micro-batching, entropy
// regulation (Atom-Searcher's SWERM), and per-token log-probs that never hold [tokens, vocab]
// float32 at once.
//
// # The model
//
// A prompt is rolled out GroupSize times; each trajectory gets one reward. Advantages compares
// each reward with its group: (r - mean)/(std + eps) with the unbiased std (GRPO), r - mean
// (Dr.GRPO, NoScale), a batch-level std (BatchStd) or a leave-one-out baseline (RLOO); a group
// whose rewards are all equal gets zero advantage, and a NaN reward is an error. PolicyLoss takes,
// per token, the current log-probs (with grad), the rollout's old log-probs, the reference model's,
// the advantages (per trajectory, or per token with ProcessAdvantages' process-level credit), the
// entropy and the loss mask (1 on generated tokens; 0 on prompt, tool observations and padding,
// which can hold anything, Inf and NaN included, without reaching the loss), and returns
//
//	agg(max(-A*r, -A*clip(r, 1-ClipLow, 1+ClipHigh)) [dual-clipped]) + KLCoef*agg(kl) - EntropyCoef*agg(entropy)
//
// with r = exp(logp - old) per token, or per sequence (GSPO). Config's zero value is the
// DeepResearcher recipe (clip 0.2, k3 KL clamped to ±10 with coefficient 0.001, entropy bonus
// 0.001, token-mean); set a field to Off for an explicit zero. The aggregation divides by a
// Normalizer: pass the whole optimizer batch's (NormalizerOf each micro-batch's mask, summed with
// Add, all-reduced across shards) and the micro-batch losses add up to the full-batch loss, so
// gradient accumulation and data parallelism give the full-batch gradient for every mode.
//
// An EntropyRegulator gives each step's entropy coefficient: FixedEntropy, AdaptiveEntropy (steer
// to a target) or SWERM, our design of Atom-Searcher's sliding-window entropy regulation (the
// paper publishes none; see SWERM for the rules).
//
// SelectiveLogProbs takes log-probs from logits a chunk of tokens at a time; FusedLogProbs takes
// them from hidden states and the lm_head weight without ever making the logits, with exact
// gradients: a custom autograd function in the tensor shim makes the logits one tile of [up to
// 4096 tokens, a vocabulary block] at a time in one reused 128 MiB buffer, combines the
// log-sum-exp across blocks online, and recomputes each tile in backward. Large tiles keep the
// matrix products efficient (the backward is three of them per tile); the buffer is small next to
// the weight gradient, so the peak stays far under that of log_softmax-then-gather.
//
// # Errors
//
// Bad data (NaN rewards or advantages, ragged rows, mismatched input shapes, a bad Config) is a
// returned error wrapping ErrBadReward, ErrBadGroups, ErrBadAdvantage, ErrShape, ErrBadCredit or
// ErrBadEntropy. The log-prob functions follow the tensor package: shape errors panic with a
// *tensor.Error (tensor.Maybe turns that into an error).
//
// # A training step
//
//	adv, err := grpo.Advantages(rewards, grpo.AdvantageConfig{GroupSize: 16})
//	norm := grpo.Normalizer{}
//	for _, mb := range microBatches {
//		norm = norm.Add(grpo.NormalizerOf(mb.Mask))
//	}
//	cfg := grpo.Config{}.WithEntropyCoef(regulator.Coef())
//	for _, mb := range microBatches {
//		logp, ent := grpo.FusedLogProbs(hidden(mb), lmHead, mb.Targets, grpo.LogProbOptions{Entropy: true})
//		out, err := grpo.PolicyLoss(grpo.Inputs{LogProbs: logp, OldLogProbs: mb.Old, RefLogProbs: mb.Ref,
//			Advantages: mb.Advantages, Mask: mb.Mask, Entropy: ent}, cfg, norm)
//		out.Loss.Backward()
//	}
//	optimizer.Step()
//	regulator.Observe(meanEntropy)
package grpo
