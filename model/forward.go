package model

import (
	"fmt"
	"math"

	"github.com/atomsearcher/atomsearcher/tensor"
)

// ForwardOptions describe the layout of a batch of token ids [B, T]. The zero value is a batch of
// unpadded rows, each one sequence starting at position 0.
type ForwardOptions struct {
	// AttentionMask [B, T] (any dtype; nonzero = real token, zero = padding) marks padding on
	// either side. Positions count real tokens only (cumsum(mask) - 1, as transformers computes
	// them), so a left-padded row starts at position 0 at its first real token. Outputs at padding
	// positions are finite but meaningless.
	AttentionMask *tensor.Tensor
	// SegmentIDs [B, T] int64 packs several sequences into one row: a token attends only to
	// earlier tokens of the same segment, and positions restart at 0 with each segment (a new
	// segment starts wherever the id changes). Tokens of segment 0 are padding when
	// AttentionMask is nil.
	SegmentIDs *tensor.Tensor
	// PositionIDs [B, T] int64 overrides the positions computed from AttentionMask/SegmentIDs.
	PositionIDs *tensor.Tensor
	// Checkpoint recomputes each decoder layer in the backward pass instead of keeping its
	// activations (tensor.Checkpoint): same values and gradients, about one layer's activations
	// alive at a time, one more forward per layer. It matters only when grad mode is on.
	Checkpoint bool
}

// Hidden returns the final hidden states [B, T, hidden] (after the last RMSNorm, in the model's
// dtype) of ids [B, T] int64: the input of the lm_head, for fused log-prob paths that never hold
// the [B, T, vocab] logits (see LMHead). Gradients flow when grad mode is on.
func (m *Model) Hidden(ids *tensor.Tensor, o ForwardOptions) (*tensor.Tensor, error) {
	var out *tensor.Tensor
	err := tensor.Maybe(func() {
		out = tensor.Scoped(func() *tensor.Tensor {
			in := m.batchAttention(ids, o)
			return m.hidden(ids, in, nil)
		})
	})
	if err != nil {
		return nil, fmt.Errorf("model: forward: %w", err)
	}
	return out, nil
}

// Forward returns the logits [B, T, vocab] of ids [B, T] int64: float32 (float64 for a float64
// model).
func (m *Model) Forward(ids *tensor.Tensor, o ForwardOptions) (*tensor.Tensor, error) {
	var out *tensor.Tensor
	err := tensor.Maybe(func() {
		out = tensor.Scoped(func() *tensor.Tensor {
			in := m.batchAttention(ids, o)
			return m.logits(m.hidden(ids, in, nil))
		})
	})
	if err != nil {
		return nil, fmt.Errorf("model: forward: %w", err)
	}
	return out, nil
}

// LogProbOptions configure LogProbs.
type LogProbOptions struct {
	ForwardOptions
	// Temperature divides the logits before the softmax, as the sampler did; 0 means 1.
	Temperature float64
	// Chunk is the tokens (rows) of one tile of logits, whole vocabulary rows (see
	// tensor.FusedLogProbOptions); 0 tiles automatically, about tensor.FusedTileBytes of logits
	// at once.
	Chunk int
}

// LogProbs returns [B, T-1] float32 (float64 for a float64 model) with out[b, t] = log p(ids[b, t+1] | ids[b, ≤t]) under
// softmax(logits / Temperature): the per-token log-probs of every token but the first. Entries
// whose target is padding are meaningless; mask them. The full [B, T, vocab] logits are never
// held (the lm_head and log-softmax run in chunks, recomputed in the backward pass), so it is
// safe for long sequences and large vocabularies. Gradients flow when grad mode is on.
func (m *Model) LogProbs(ids *tensor.Tensor, o LogProbOptions) (*tensor.Tensor, error) {
	lp, _, err := m.logProbs(ids, o, false)
	return lp, err
}

// LogProbsEntropy is LogProbs that also returns the entropy [B, T-1] of each next-token
// distribution (softmax(logits / Temperature), in the same chunks; not differentiable), what an
// entropy bonus or entropy regulation reads.
func (m *Model) LogProbsEntropy(ids *tensor.Tensor, o LogProbOptions) (logp, entropy *tensor.Tensor, err error) {
	return m.logProbs(ids, o, true)
}

func (m *Model) logProbs(ids *tensor.Tensor, o LogProbOptions, withEntropy bool) (logp, entropy *tensor.Tensor, err error) {
	if o.Temperature < 0 {
		return nil, nil, fmt.Errorf("model: log-probs: negative temperature %v", o.Temperature)
	}
	err = tensor.Maybe(func() {
		s := tensor.NewScope()
		defer s.Close()
		B, T := ids.Size(0), ids.Size(1)
		if T < 2 {
			logp = tensor.Zeros([]int64{B, 0}, m.outputDType(), m.device)
			if withEntropy {
				entropy = tensor.Zeros([]int64{B, 0}, m.outputDType(), m.device)
			}
			s.Keep(logp, entropy)
			return
		}
		in := m.batchAttention(ids, o.ForwardOptions)
		h := m.hidden(ids, in, nil).Narrow(1, 0, T-1).Reshape(B*(T-1), int64(m.Config.HiddenSize))
		targets := ids.Narrow(1, 1, T-1).Reshape(B * (T - 1))
		lp, ent := tensor.FusedLogProbs(h, m.lmHead, targets, tensor.FusedLogProbOptions{
			Chunk: o.Chunk, Temperature: o.Temperature, Entropy: withEntropy,
		})
		logp = lp.ToDType(m.outputDType()).View(B, T-1)
		if ent != nil {
			entropy = ent.ToDType(m.outputDType()).View(B, T-1)
		}
		s.Keep(logp, entropy)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("model: log-probs: %w", err)
	}
	return logp, entropy, nil
}

// attentionInput is what every layer needs besides the hidden states: rotary tables for the
// batch's positions and the attention rule.
type attentionInput struct {
	batch, steps int64
	// cos and sin [B, 1, T, headDim] for the rotate_half path; rotation [B, d, d] instead when
	// decoding one token per row (then cos and sin are nil).
	cos, sin, rotation *tensor.Tensor
	// mask is additive, broadcastable to [B, heads, T, S]; nil with causal true means the plain
	// causal rule over an empty cache, nil with causal false means every key is allowed.
	mask   *tensor.Tensor
	causal bool
	// checkpoint runs each layer under tensor.Checkpoint (ForwardOptions.Checkpoint; no cache).
	checkpoint bool
}

// batchAttention derives positions and the attention rule of a whole batch (no cache).
func (m *Model) batchAttention(ids *tensor.Tensor, o ForwardOptions) attentionInput {
	if ids.Dim() != 2 {
		panic(&tensor.Error{Op: "model", Msg: fmt.Sprintf("ids must be [batch, steps], got shape %v", ids.Shape())})
	}
	B, T := ids.Size(0), ids.Size(1)
	in := attentionInput{batch: B, steps: T, checkpoint: o.Checkpoint}
	for name, t := range map[string]*tensor.Tensor{"AttentionMask": o.AttentionMask, "SegmentIDs": o.SegmentIDs, "PositionIDs": o.PositionIDs} {
		if t != nil && (t.Dim() != 2 || t.Size(0) != B || t.Size(1) != T) {
			panic(&tensor.Error{Op: "model", Msg: fmt.Sprintf("%s has shape %v, want [%d %d] like ids", name, t.Shape(), B, T)})
		}
	}
	positions := o.PositionIDs
	var allowed *tensor.Tensor // [B, T, T] bool, nil for plain causal
	causal := tensor.Ones([]int64{T, T}, tensor.Bool, ids.Device()).Tril(0)
	var real *tensor.Tensor // [B, T] bool
	if o.AttentionMask != nil {
		real = o.AttentionMask.NeScalar(0)
	}
	if o.SegmentIDs != nil {
		seg := o.SegmentIDs.ToDType(tensor.Int64)
		if real == nil {
			real = seg.NeScalar(0)
		}
		same := seg.Unsqueeze(2).Eq(seg.Unsqueeze(1))
		allowed = same.LogicalAnd(causal.Unsqueeze(0))
		if positions == nil {
			positions = segmentPositions(seg)
		}
	}
	if real != nil {
		keys := real.Unsqueeze(1)
		if allowed == nil {
			allowed = causal.Unsqueeze(0).LogicalAnd(keys)
		} else {
			allowed = allowed.LogicalAnd(keys)
		}
		if positions == nil {
			positions = real.ToDType(tensor.Int64).CumSum(1).SubScalar(1).ClampMin(0)
		}
	}
	if positions == nil {
		positions = tensor.Arange(0, float64(T), 1, tensor.Int64, ids.Device()).Unsqueeze(0).Expand(B, T)
	}
	in.cos, in.sin = m.rope.gather(positions.ToDType(tensor.Int64))
	if allowed == nil {
		in.causal = true
	} else {
		in.mask = tensor.Zeros([]int64{B, 1, T, T}, m.dtype, ids.Device()).
			MaskedFill(allowed.LogicalNot().Unsqueeze(1), maskValue(m.dtype))
	}
	return in
}

// segmentPositions restarts positions at 0 wherever the segment id changes along a row.
func segmentPositions(seg *tensor.Tensor) *tensor.Tensor {
	B, T := seg.Size(0), seg.Size(1)
	ids := seg.ToDevice(tensor.CPU).Int64s()
	pos := make([]int64, len(ids))
	for b := range B {
		row := ids[b*T : (b+1)*T]
		for t := range row {
			if t > 0 && row[t] == row[t-1] {
				pos[b*T+int64(t)] = pos[b*T+int64(t)-1] + 1
			}
		}
	}
	return placed(tensor.New(pos, B, T), seg.Device(), tensor.Int64)
}

// gather returns cos and sin [B, 1, T, headDim] for positions [B, T].
func (r *ropeTables) gather(positions *tensor.Tensor) (cos, sin *tensor.Tensor) {
	B, T := positions.Size(0), positions.Size(1)
	flat := positions.Reshape(B * T)
	d := int64(r.headDim)
	cos = r.cos.IndexSelect(0, flat).View(B, T, d).Unsqueeze(1)
	sin = r.sin.IndexSelect(0, flat).View(B, T, d).Unsqueeze(1)
	return cos, sin
}

// hidden runs the decoder over ids with the attention rule in and, when cache is not nil,
// attends to and extends the cache.
func (m *Model) hidden(ids *tensor.Tensor, in attentionInput, cache *kvCache) *tensor.Tensor {
	x := m.embed.Embedding(ids)
	for l := range m.layers {
		if in.checkpoint && cache == nil {
			x = m.checkpointedLayer(l, x, &in)
		} else {
			x = m.layer(l, x, &in, cache)
		}
	}
	return tensor.RMSNorm(x, m.norm, m.Config.RMSNormEps)
}

// logits applies the lm_head to hidden states and returns them in outputDType.
func (m *Model) logits(h *tensor.Tensor) *tensor.Tensor {
	out := tensor.Linear(h, m.lmHead, nil)
	if d := m.outputDType(); m.dtype != d {
		out = out.ToDType(d)
	}
	return out
}

// outputDType is the dtype of logits and log-probs: float32, or float64 for a float64 model.
func (m *Model) outputDType() tensor.DType {
	if m.dtype == tensor.Float64 {
		return tensor.Float64
	}
	return tensor.Float32
}

// layer is one decoder layer: x + attn(norm(x)), then + mlp(norm(x)).
func (m *Model) layer(l int, x *tensor.Tensor, in *attentionInput, cache *kvCache) *tensor.Tensor {
	w := &m.layers[l]
	c := &m.Config
	B, T := in.batch, in.steps
	H, D := int64(c.HiddenSize), int64(c.HeadDim())
	NH, KV := int64(c.NumAttentionHeads), int64(c.NumKeyValueHeads)
	rep := NH / KV

	h := tensor.RMSNorm(x, w.inputNorm, c.RMSNormEps)
	q := tensor.Linear(h, w.q, w.qBias)
	k := tensor.Linear(h, w.k, w.kBias)
	v := tensor.Linear(h, w.v, w.vBias)
	var a *tensor.Tensor
	if in.rotation != nil {
		// One token per row: rotate all heads with one bmm, and attend with the query heads
		// grouped by their key/value head ([B, KV, rep, D] against [B, KV, S, D]) instead of
		// repeating the keys and values.
		q = q.View(B, NH, D).Bmm(in.rotation).View(B, KV, rep, D)
		k = k.View(B, KV, D).Bmm(in.rotation).View(B, KV, 1, D)
		v = v.View(B, KV, 1, D)
		if cache != nil {
			k, v = cache.extend(l, k, v)
		}
		a = groupedDecodeAttention(q, k, v, in.mask).View(B, 1, H)
	} else {
		q = rotateHalf(q.View(B, T, NH, D).Transpose(1, 2), in.cos, in.sin)
		k = rotateHalf(k.View(B, T, KV, D).Transpose(1, 2), in.cos, in.sin)
		v = v.View(B, T, KV, D).Transpose(1, 2)
		if cache != nil {
			k, v = cache.extend(l, k, v)
		}
		if rep > 1 {
			S := k.Size(2)
			k = k.Unsqueeze(2).Expand(B, KV, rep, S, D).Reshape(B, NH, S, D)
			v = v.Unsqueeze(2).Expand(B, KV, rep, S, D).Reshape(B, NH, S, D)
		}
		a = tensor.ScaledDotProductAttention(q, k, v, tensor.AttentionOptions{Mask: in.mask, Causal: in.causal}).Transpose(1, 2).Reshape(B, T, H)
	}
	x = x.Add(tensor.Linear(a, w.o, nil))
	h = tensor.RMSNorm(x, w.postNorm, c.RMSNormEps)
	mlp := tensor.Linear(h, w.gate, nil).Silu().Mul(tensor.Linear(h, w.up, nil))
	return x.Add(tensor.Linear(mlp, w.down, nil))
}

// rotateHalf applies rotary embeddings to x [B, heads, T, d]: x*cos + rotate_half(x)*sin, where
// rotate_half(x) = cat(-x[..., d/2:], x[..., :d/2]).
func rotateHalf(x, cos, sin *tensor.Tensor) *tensor.Tensor {
	d := x.Size(3)
	half := tensor.Cat([]*tensor.Tensor{x.Narrow(3, d/2, d/2).Neg(), x.Narrow(3, 0, d/2)}, 3)
	return x.Mul(cos).Add(half.Mul(sin))
}

// groupedDecodeAttention is softmax(q kᵀ / sqrt(d) + mask) v for one query step with the query
// heads grouped by key/value head: q [B, KV, rep, d], k and v [B, KV, S, d] (contiguous, the
// cache), mask nil or [B, 1, 1, S]. Two bmm over [B·KV] matrices read the cache in place (a
// transposed view, no copy), where libtorch 1.13's 4-D matmul would copy the transposed keys.
func groupedDecodeAttention(q, k, v, mask *tensor.Tensor) *tensor.Tensor {
	B, KV, rep, D := q.Size(0), q.Size(1), q.Size(2), q.Size(3)
	S := k.Size(2)
	scores := q.Reshape(B*KV, rep, D).Bmm(k.View(B*KV, S, D).Transpose(1, 2)).View(B, KV, rep, S)
	scores = scores.MulScalar(1 / math.Sqrt(float64(D)))
	if mask != nil {
		scores = scores.Add(mask)
	}
	probs := scores.Softmax(-1)
	return probs.View(B*KV, rep, S).Bmm(v.View(B*KV, S, D))
}
