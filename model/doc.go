// Package model runs Qwen2-family causal language models in Go over libtorch (package tensor):
// it loads Hugging Face checkpoints, computes per-token log-probs with gradients for training,
// and generates rollouts with a KV cache.
//
// # The model
//
// A Qwen2 decoder (Config, read from config.json) embeds token ids, runs NumHiddenLayers
// pre-norm layers — RMSNorm, grouped-query attention with q/k/v biases and rotary position
// embeddings (rope_theta, rotate_half convention), a residual add, RMSNorm, a SwiGLU MLP, a
// residual add — then a final RMSNorm and the lm_head (tied to the embedding or not). The numerics
// follow transformers' eager Qwen2 (RMSNorm in float32, additive masks with the dtype's most
// negative finite value, positions cumsum(mask) - 1); model/testdata/qwen2_reference.py is an
// independent PyTorch implementation whose outputs the tests match to 1e-4.
//
// # Loading, saving, training
//
// Load reads config.json and model.safetensors or a sharded model.safetensors.index.json
// (float32, bfloat16 or float16) onto a device and dtype; a missing, unexpected or misshaped
// tensor is a *TensorError naming it, a bad config field a *ConfigError naming the field. Save
// writes the same layout back, atomically, so transformers loads a trained checkpoint unchanged.
// New makes a model with seeded random weights (TinyConfig for tests and the embedded default).
//
// For training, Parameters lists the tensors under their HF names (for the optimizer);
// LogProbs returns [B, T-1] per-token log-probs of a padded (AttentionMask) or packed
// (SegmentIDs) batch, with gradients when grad mode is on and without them under tensor.NoGrad
// (the reference policy). It never holds the [B, T, vocab] logits: the lm_head and log-softmax
// run in tiles (tensor.FusedLogProbs); LogProbsEntropy also returns each position's entropy, in the
// same tiles, for entropy bonuses and regulation. Hidden and LMHead give the same path to callers that fuse
// their own loss; Forward returns full float32 logits.
//
// # Generation: sessions
//
// A Session is a batch of rows (one rollout each) extended in lockstep over a shared KV cache:
//
//   - NewSession left-pads the prompts and prefills them.
//   - Generate decodes one token per generating row per step (greedy, or temperature with top-k
//     and top-p), until each row stops on its own: a stop id (EOS), a stop token sequence, a stop
//     string (through a caller-supplied Detokenize, since the model does not own the tokenizer),
//     MaxNewTokens, or the session's MaxLength. It returns per row the new ids, their log-probs
//     and the stop reason. GenerateOptions.Rows restricts a call to some rows.
//   - Append adds tokens to rows — a tool response after </tool_call> — and prefills only them;
//     nothing already cached is recomputed. Rows that append nothing are untouched.
//
// The log-probs returned with generated tokens are log softmax(logits / T)[token] with T the
// sampling temperature (T = 1 for greedy), taken before top-k/top-p truncation: exactly what
// LogProbs with the same Temperature recomputes over the finished sequence (the tests check it),
// so they serve as GRPO's "old log-probs" when the policy has not changed since sampling.
// Sampling draws one uniform per row per step from a Go PCG stream seeded by SessionOptions.Seed
// (or GenerateOptions.Seed): the same seed gives the same tokens, independent of libtorch's
// global generator. Model.Generate is the one-shot form.
//
// Rows keep a common cache length: a row that sits a step out (stopped, not generating, or with
// shorter appended text) gets a masked padding slot. Every row's last token is kept out of the
// cache until the next call feeds it, so Generate and Append can both continue any row.
//
// # Example
//
//	m, err := model.Load("Qwen2.5-0.5B-Instruct", model.LoadOptions{Device: tensor.CUDA(0), DType: tensor.BFloat16})
//	...
//	s, err := m.NewSession(ctx, prompts, model.SessionOptions{Seed: 1})
//	defer s.Free()
//	gens, err := s.Generate(ctx, model.GenerateOptions{MaxNewTokens: 512, Temperature: 1,
//		StopIDs: eos, StopStrings: []string{"</tool_call>", "</answer>"}, Detokenize: decode})
//	// run the tool calls of rows that stopped at </tool_call>, then
//	err = s.Append(ctx, toolResponses) // nil for rows without a call
//	gens, err = s.Generate(ctx, model.GenerateOptions{..., Rows: stillRunning})
//
// # Gradient checkpointing
//
// ForwardOptions.Checkpoint (and so LogProbOptions) runs each decoder layer under
// tensor.Checkpoint: the forward pass keeps only the layer's input, and Backward recomputes the
// layer (libtorch 1.13's C++ API has no torch.utils.checkpoint; tensor.Checkpoint is a custom
// autograd function in the shim that calls back into Go). Values and gradients equal the plain
// pass; peak memory on long sequences drops by about two thirds. LogProbs also never holds the
// largest activation, the [tokens, vocab] logits.
//
// # Concurrency and memory
//
// A Model may serve several goroutines' forward passes and sessions at once; parameter updates
// must not overlap them. A Session is for one goroutine. Tensors made by this package belong to
// the tensor.Scope current when they were made; Model.Free and Session.Free release theirs.
package model
