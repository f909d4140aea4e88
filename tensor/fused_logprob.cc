// Fused, tiled log-probs from hidden states and the lm_head weight: a custom autograd function
// whose backward recomputes each tile's logits instead of keeping [N, V] of them.
//
// The logits are made one tile of [rows, cols] at a time (rows tokens by cols vocabulary entries)
// into one buffer that is reused for every tile, so the extra memory is that buffer whatever N and
// V are. Across the vocabulary blocks of a row chunk the log-sum-exp (and the entropy) is combined
// online, as in flash attention. The backward pass needs, per tile, P - onehot(target) with
// P = exp(logits - lse), and then
//
//   d hidden = -s*g (.) ((P - onehot) @ W)       accumulated over the vocabulary blocks
//   d weight = (P - onehot)^T @ (-s*g (.) hidden) accumulated over the row chunks
//
// (g the upstream gradient, s = 1/temperature), so the upstream gradient and the temperature are
// folded into the small [N, H] operands instead of costing passes over the tile, and both products
// write straight into the gradients (mm_out for the first contribution, addmm_ after it).
#include "fused_logprob.h"

#include <torch/csrc/autograd/custom_function.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "shim_internal.h"

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The dtype the softmax is taken in: float64 stays float64, everything else is float32.
at::ScalarType accumulation_type(const at::Tensor &t) {
  return t.scalar_type() == at::kDouble ? at::kDouble : at::kFloat;
}

// The tiling of [N, V]: row chunks of `rows` tokens, vocabulary blocks of `cols` entries.
struct Tiling {
  int64_t n, v, rows, cols;
};

// tile_view is the first rl*vl elements of buf as a contiguous [rl, vl] matrix.
at::Tensor tile_view(const at::Tensor &buf, int64_t rl, int64_t vl) {
  return buf.narrow(0, 0, rl * vl).view({rl, vl});
}

// mm_into writes (first) or adds a @ b into out, whose dtype may be wider than a's and b's (the
// float32 accumulation of half and bfloat16 inputs).
void mm_into(at::Tensor out, const at::Tensor &a, const at::Tensor &b, bool first) {
  if (out.scalar_type() == a.scalar_type()) {
    if (first) {
      at::mm_out(out, a, b);
    } else {
      out.addmm_(a, b);
    }
  } else if (first) {
    out.copy_(at::mm(a, b));
  } else {
    out.add_(at::mm(a, b));
  }
}

// Logits holds what makes a tile's logits: s * hidden @ weight^T. For float32 and float64 inputs
// the scale is applied once to the hidden states ([N, H]) instead of to every tile; half and
// bfloat16 tiles are upcast and scaled in float32.
struct Logits {
  at::Tensor hidden;  // hidden * s for float32/float64 inputs, hidden itself otherwise
  at::Tensor weight;
  double tile_scale;  // 1, or s for half/bfloat16 inputs

  Logits(const at::Tensor &h, const at::Tensor &w, double s, at::ScalarType acc) : weight(w) {
    const bool wide = h.scalar_type() == acc;
    hidden = (wide && s != 1.0) ? h.mul(s) : h;
    tile_scale = wide ? 1.0 : s;
  }

  // into writes the logits of rows [r0, r0+rl) and vocabulary [v0, v0+vl) into tile.
  void into(at::Tensor &tile, int64_t r0, int64_t rl, int64_t v0, int64_t vl) const {
    mm_into(tile, hidden.narrow(0, r0, rl), weight.narrow(0, v0, vl).t(), true);
    if (tile_scale != 1.0) tile.mul_(tile_scale);
  }
};

// Block targets: the column of each row's target inside the block [v0, v0+vl) (clamped into it)
// and whether the target is there at all.
struct BlockTargets {
  at::Tensor col;     // [rl, 1] int64
  at::Tensor inside;  // [rl] bool, undefined when the block is the whole vocabulary
};

BlockTargets block_targets(const at::Tensor &targets, int64_t v0, int64_t vl, int64_t v) {
  if (vl == v) return {targets.unsqueeze(1), at::Tensor()};
  at::Tensor shifted = targets - v0;
  at::Tensor inside = shifted.ge(0).logical_and_(shifted.lt(vl));
  return {shifted.clamp_(0, vl - 1).unsqueeze(1), inside};
}

struct FusedLogProb : public torch::autograd::Function<FusedLogProb> {
  static variable_list forward(AutogradContext *ctx, at::Tensor hidden, at::Tensor weight,
                               at::Tensor targets, int64_t rows, int64_t cols, double inv_temp,
                               bool with_entropy) {
    const Tiling tl{hidden.size(0), weight.size(0), std::max<int64_t>(1, rows),
                    std::min(std::max<int64_t>(1, cols), weight.size(0))};
    const at::ScalarType acc = accumulation_type(hidden);
    at::TensorOptions opts = hidden.options().dtype(acc);
    const Logits logits(hidden, weight, inv_temp, acc);
    at::Tensor logp = at::empty({tl.n}, opts);
    at::Tensor lse_all = at::empty({tl.n}, opts);
    at::Tensor entropy = with_entropy ? at::empty({tl.n}, opts) : at::empty({0}, opts);
    const int64_t tile_elems = std::min(tl.rows, tl.n) * tl.cols;
    at::Tensor buf = at::empty({tile_elems}, opts);
    // With entropy, exp(logits - max) needs a buffer of its own (the logits are needed as well).
    at::Tensor ebuf = with_entropy ? at::empty({tile_elems}, opts) : at::Tensor();
    for (int64_t r0 = 0; r0 < tl.n; r0 += tl.rows) {
      const int64_t rl = std::min(tl.rows, tl.n - r0);
      at::Tensor tgt_ids = targets.narrow(0, r0, rl);
      // Running row max m, sum of exp(x - m) and sum of exp(x - m) * (x - m) (for the entropy).
      at::Tensor m, sum, xsum, tgt;
      for (int64_t v0 = 0; v0 < tl.v; v0 += tl.cols) {
        const int64_t vl = std::min(tl.cols, tl.v - v0);
        at::Tensor tile = tile_view(buf, rl, vl);
        logits.into(tile, r0, rl, v0, vl);
        BlockTargets bt = block_targets(tgt_ids, v0, vl, tl.v);
        at::Tensor picked = tile.gather(1, bt.col).squeeze(1);
        at::Tensor bmax = tile.amax(1);
        const bool first = v0 == 0;
        at::Tensor m_new = first ? bmax : at::maximum(m, bmax);
        tile.sub_(m_new.unsqueeze(1));
        at::Tensor bsum, bxsum;
        if (with_entropy) {
          at::Tensor e = tile_view(ebuf, rl, vl);
          at::exp_out(e, tile);
          bsum = e.sum(1);
          bxsum = e.mul_(tile).sum(1);
        } else {
          bsum = tile.exp_().sum(1);
        }
        if (first) {
          tgt = picked;
          sum = bsum;
          xsum = bxsum;
        } else {
          tgt = at::where(bt.inside, picked, tgt);
          // Rescale the running sums from the old max to the new one.
          at::Tensor alpha = (m - m_new).exp_();
          if (with_entropy) xsum = xsum.add((m - m_new).mul_(sum)).mul_(alpha).add_(bxsum);
          sum = sum.mul(alpha).add_(bsum);
        }
        m = m_new;
      }
      at::Tensor log_sum = sum.log();
      lse_all.narrow(0, r0, rl).copy_(log_sum + m);
      logp.narrow(0, r0, rl).copy_(tgt).sub_(lse_all.narrow(0, r0, rl));
      // H = lse - sum(p * x) = log(sum) - sum(exp(x - m) * (x - m)) / sum.
      if (with_entropy) entropy.narrow(0, r0, rl).copy_(log_sum).sub_(xsum.div_(sum));
    }
    ctx->save_for_backward({hidden, weight, targets, lse_all});
    ctx->saved_data["rows"] = tl.rows;
    ctx->saved_data["cols"] = tl.cols;
    ctx->saved_data["inv_temp"] = inv_temp;
    ctx->mark_non_differentiable({entropy});
    return {logp, entropy};
  }

  static variable_list backward(AutogradContext *ctx, variable_list grads) {
    auto saved = ctx->get_saved_variables();
    const at::Tensor &hidden = saved[0], &weight = saved[1], &targets = saved[2], &lse_all = saved[3];
    const Tiling tl{hidden.size(0), weight.size(0), ctx->saved_data["rows"].toInt(),
                    ctx->saved_data["cols"].toInt()};
    const double inv_temp = ctx->saved_data["inv_temp"].toDouble();
    const at::ScalarType acc = accumulation_type(hidden);
    const at::ScalarType in_type = hidden.scalar_type();
    at::Tensor g = grads[0];
    const bool need_h = ctx->needs_input_grad(0), need_w = ctx->needs_input_grad(1);
    at::Tensor none;
    if (!g.defined() || (!need_h && !need_w))
      return {none, none, none, none, none, none, none};
    if (tl.n == 0) {
      return {need_h ? at::zeros_like(hidden) : none, need_w ? at::zeros_like(weight) : none,
              none, none, none, none, none};
    }
    at::TensorOptions opts = hidden.options().dtype(acc);
    // -s*g, the factor of each token's row of d logits = -s*g (.) (P - onehot).
    at::Tensor neg_sg = g.to(acc).mul(-inv_temp);
    const Logits logits(hidden, weight, inv_temp, acc);
    // pw accumulates (P - onehot) @ W over the vocabulary blocks: [N, H] in the accumulation type.
    at::Tensor pw = need_h ? at::empty({tl.n, hidden.size(1)}, opts) : at::Tensor();
    // The weight gradient is written block by block, accumulated over the row chunks.
    at::Tensor grad_w = need_w ? at::empty(weight.sizes(), weight.options().dtype(acc)) : at::Tensor();
    at::Tensor hg = need_w ? hidden.to(acc).mul(neg_sg.unsqueeze(1)).to(in_type) : at::Tensor();
    at::Tensor buf = at::empty({std::min(tl.rows, tl.n) * tl.cols}, opts);
    for (int64_t r0 = 0; r0 < tl.n; r0 += tl.rows) {
      const int64_t rl = std::min(tl.rows, tl.n - r0);
      at::Tensor lse = lse_all.narrow(0, r0, rl).unsqueeze(1);
      at::Tensor tgt_ids = targets.narrow(0, r0, rl);
      for (int64_t v0 = 0; v0 < tl.v; v0 += tl.cols) {
        const int64_t vl = std::min(tl.cols, tl.v - v0);
        at::Tensor tile = tile_view(buf, rl, vl);
        logits.into(tile, r0, rl, v0, vl);
        tile.sub_(lse).exp_();  // P
        BlockTargets bt = block_targets(tgt_ids, v0, vl, tl.v);
        // P - onehot: subtracting in the tile keeps P_target - 1 exact where P_target is near 1.
        at::Tensor minus_one = bt.inside.defined()
                                   ? bt.inside.to(acc).neg_().unsqueeze(1)
                                   : at::full({rl, 1}, -1.0, opts);
        tile.scatter_add_(1, bt.col, minus_one);
        at::Tensor d = tile.scalar_type() == in_type ? tile : tile.to(in_type);
        if (need_h) mm_into(pw.narrow(0, r0, rl), d, weight.narrow(0, v0, vl), v0 == 0);
        if (need_w) mm_into(grad_w.narrow(0, v0, vl), d.t(), hg.narrow(0, r0, rl), r0 == 0);
      }
    }
    at::Tensor grad_h;
    if (need_h) grad_h = pw.mul_(neg_sg.unsqueeze(1)).to(in_type);
    if (need_w && grad_w.scalar_type() != weight.scalar_type()) grad_w = grad_w.to(weight.scalar_type());
    return {grad_h, grad_w, none, none, none, none, none};
  }
};

}  // namespace

extern "C" ats_tensor ats_fused_logprob(ats_tensor hidden, ats_tensor weight, ats_tensor targets,
                                        int64_t rows, int64_t cols, double inv_temperature,
                                        int with_entropy, ats_tensor *entropy, char **err) {
  *entropy = nullptr;
  ATS_TRY
  const at::Tensor &h = ats_ref(hidden);
  const at::Tensor &w = ats_ref(weight);
  const at::Tensor &t = ats_ref(targets);
  if (h.dim() != 2 || w.dim() != 2) ats_fail("hidden must be [N, H] and weight [V, H]");
  if (h.size(1) != w.size(1))
    ats_fail("hidden size " + std::to_string(h.size(1)) + " does not match weight's " +
             std::to_string(w.size(1)));
  if (t.dim() != 1 || t.size(0) != h.size(0))
    ats_fail("targets must be [N] with N = " + std::to_string(h.size(0)));
  if (t.scalar_type() != at::kLong) ats_fail("targets must be int64");
  if (h.scalar_type() != w.scalar_type()) ats_fail("hidden and weight must have the same dtype");
  if (!h.is_floating_point()) ats_fail("hidden must be floating point");
  if (rows <= 0 || cols <= 0) ats_fail("tile rows and columns must be positive");
  if (w.size(0) == 0) ats_fail("weight has an empty vocabulary");
  if (!(inv_temperature > 0) || !std::isfinite(inv_temperature)) ats_fail("temperature must be positive and finite");
  if (t.numel() > 0) {
    const int64_t lo = t.min().item<int64_t>(), hi = t.max().item<int64_t>();
    if (lo < 0 || hi >= w.size(0))
      ats_fail("target id out of range [0, " + std::to_string(w.size(0)) + "): " +
               std::to_string(lo < 0 ? lo : hi));
  }
  // The tiles are matrix views of one flat buffer: the inputs must be plain row-major matrices.
  variable_list out = FusedLogProb::apply(h.contiguous(), w.contiguous(), t.contiguous(), rows, cols,
                                          inv_temperature, with_entropy != 0);
  if (with_entropy) *entropy = ats_wrap(out[1]);
  return ats_wrap(out[0]);
  ATS_CATCH(nullptr)
}
