#ifndef ATS_FUSED_LOGPROB_H
#define ATS_FUSED_LOGPROB_H
// Fused per-token log-probabilities from hidden states and the lm_head weight, in tiles of the
// [tokens, vocab] logits, so the logits are never materialized whole (grpo's memory-lean
// log-probs). Same error convention as shim.h: NULL return and a malloc'd *err on failure.
#include "shim.h"
#ifdef __cplusplus
extern "C" {
#endif

// ats_fused_logprob returns logp[n] = log_softmax(hidden[n] @ weight^T * inv_temperature)[targets[n]]
// for hidden [N, H], weight [V, H], targets [N] (int64, in [0, V)). The logits exist one tile of
// rows x cols (tokens x vocabulary entries; both > 0, cols capped at V) at a time, in one reused
// buffer (two with with_entropy); the log-sum-exp is combined across a row's vocabulary blocks
// online. With with_entropy, *entropy receives the per-token entropy of the same distribution (not
// differentiable); else it is left NULL. The log-probs are differentiable with respect to hidden and
// weight through a custom autograd function that recomputes each tile's logits in backward.
// Results are float32 for half, bfloat16 and float32 inputs and float64 for float64 inputs.
ats_tensor ats_fused_logprob(ats_tensor hidden, ats_tensor weight, ats_tensor targets, int64_t rows,
                             int64_t cols, double inv_temperature, int with_entropy,
                             ats_tensor *entropy, char **err);

#ifdef __cplusplus
}
#endif
#endif
