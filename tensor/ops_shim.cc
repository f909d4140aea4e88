// Elementwise, reduction, indexing and shape ops, dispatched by op code (ops_codes.h).
//
// The hot entry points (ats_unary, ats_binary, ats_scalar_op, ats_int_op, ats_shape_op, ats_reduce,
// ats_clamp) run their functional ops through ats_below (shim_internal.h): straight to the backend
// kernel when autograd has nothing to record. Views (transpose, view, narrow, ...) always take
// libtorch's full path.
#include "ops_codes.h"
#include "shim_internal.h"

#include <ATen/ScalarOps.h>

#include <cmath>
#include <cstring>

static at::Scalar ats_scalar_for(const at::Tensor &t, double s) {
  if (!t.is_floating_point() && !t.is_complex() && std::isfinite(s) && s == std::trunc(s) &&
      std::fabs(s) < 9.0e18)
    return at::Scalar(static_cast<int64_t>(s));
  return at::Scalar(s);
}

// Wrapped scalars. `t * 0.5` multiplies by a 0-D "wrapped number" tensor of t's dtype; making one
// (a TensorImpl, its storage, a data block) and freeing it again cost about as much as the small
// op itself. Each thread keeps the last few it made, keyed by value bits and dtype, and hands out
// new references to them. They are immutable: nothing writes to an op's input, the binding never
// exposes them, and autograd only saves them (their version never changes), so a cached scalar is
// indistinguishable from a fresh one. Plain data, like the handle cache: a flusher armed on first
// use drops the references when the thread exits.
namespace {
using TensorImplPtr = c10::intrusive_ptr<c10::TensorImpl, c10::UndefinedTensorImpl>;

constexpr int ATS_SCALARS = 4;
struct ScalarCache {
  c10::TensorImpl *impl[ATS_SCALARS];
  uint64_t bits[ATS_SCALARS];
  int8_t type[ATS_SCALARS];
  int next;
  bool armed, dead;
};
thread_local ScalarCache tl_scalars;

struct ScalarFlusher {
  void arm() {}
  ~ScalarFlusher() {
    ScalarCache &c = tl_scalars;
    for (int i = 0; i < ATS_SCALARS; i++) {
      if (c.impl[i] != nullptr) TensorImplPtr::reclaim(c.impl[i]);  // drops the cache's reference
      c.impl[i] = nullptr;
    }
    c.dead = true;
  }
};
thread_local ScalarFlusher tl_scalar_flusher;

at::Tensor wrapped_scalar(double v, at::ScalarType st) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  auto type = static_cast<int8_t>(st);
  ScalarCache &c = tl_scalars;
  for (int i = 0; i < ATS_SCALARS; i++) {
    if (c.impl[i] != nullptr && c.bits[i] == bits && c.type[i] == type)
      return at::Tensor(TensorImplPtr::reclaim_copy(c.impl[i]));
  }
  at::Tensor w = at::detail::scalar_tensor_static(v, st, at::kCPU);
  w.unsafeGetTensorImpl()->set_wrapped_number(true);
  if (!c.dead) {
    if (!c.armed) {
      tl_scalar_flusher.arm();  // constructs this thread's flusher
      c.armed = true;
    }
    int i = c.next;
    c.next = (i + 1) % ATS_SCALARS;
    if (c.impl[i] != nullptr) TensorImplPtr::reclaim(c.impl[i]);
    c.impl[i] = at::Tensor(w).unsafeReleaseTensorImpl();
    c.bits[i] = bits;
    c.type[i] = type;
  }
  return w;
}
}  // namespace

static at::Tensor unary_op(int op, const at::Tensor &a) {
  switch (op) {
    case ATS_NEG: return at::neg(a);
    case ATS_ABS: return at::abs(a);
    case ATS_EXP: return at::exp(a);
    case ATS_LOG: return at::log(a);
    case ATS_LOG1P: return at::log1p(a);
    case ATS_EXPM1: return at::expm1(a);
    case ATS_SQRT: return at::sqrt(a);
    case ATS_RSQRT: return at::rsqrt(a);
    case ATS_SIGMOID: return at::sigmoid(a);
    case ATS_TANH: return at::tanh(a);
    case ATS_SILU: return at::silu(a);
    case ATS_GELU: return at::gelu(a);
    case ATS_GELU_TANH: return at::gelu(a, "tanh");
    case ATS_RELU: return at::relu(a);
    case ATS_SIN: return at::sin(a);
    case ATS_COS: return at::cos(a);
    // contiguous and softmax call what their CompositeImplicit kernels would (one dispatch less).
    case ATS_CONTIGUOUS: return a.is_contiguous() ? a : at::clone(a, at::MemoryFormat::Contiguous);
    case ATS_CLONE: return a.clone();
    case ATS_LOGICAL_NOT: return at::logical_not(a);
    case ATS_FLOOR: return at::floor(a);
    case ATS_CEIL: return at::ceil(a);
    case ATS_ROUND: return at::round(a);
    case ATS_SIGN: return at::sign(a);
    case ATS_ISNAN: return at::isnan(a);
    case ATS_ISINF: return at::isinf(a);
    case ATS_ISFINITE: return at::isfinite(a);
    case ATS_SQUARE: return at::square(a);
    case ATS_RECIPROCAL: return at::reciprocal(a);
    case ATS_ERF: return at::erf(a);
    case ATS_NAN_TO_NUM: return at::nan_to_num(a);
  }
  ats_fail("unknown unary op " + std::to_string(op));
}

static at::Tensor binary_op(int op, const at::Tensor &a, const at::Tensor &b) {
  switch (op) {
    case ATS_ADD: return at::add(a, b);
    case ATS_SUB: return at::sub(a, b);
    case ATS_MUL: return at::mul(a, b);
    case ATS_DIV: return at::div(a, b);
    case ATS_POW: return at::pow(a, b);
    case ATS_MINIMUM: return at::minimum(a, b);
    case ATS_MAXIMUM: return at::maximum(a, b);
    case ATS_EQ: return at::eq(a, b);
    case ATS_NE: return at::ne(a, b);
    case ATS_LT: return at::lt(a, b);
    case ATS_LE: return at::le(a, b);
    case ATS_GT: return at::gt(a, b);
    case ATS_GE: return at::ge(a, b);
    case ATS_MATMUL: return at::matmul(a, b);
    case ATS_BMM: return at::bmm(a, b);
    case ATS_LOGICAL_AND: return at::logical_and(a, b);
    case ATS_LOGICAL_OR: return at::logical_or(a, b);
    case ATS_REMAINDER: return at::remainder(a, b);
    case ATS_FLOOR_DIVIDE: return at::div(a, b, "floor");
    case ATS_OUTER: return at::outer(a, b);
  }
  ats_fail("unknown binary op " + std::to_string(op));
}

static at::Tensor scalar_op(int op, const at::Tensor &a, double sv) {
  // Fast path for float32/float64: the scalar as a 0-D wrapped number of a's own dtype, passed to
  // the tensor overload (what Python's `t * 0.5` does). The Scalar overloads wrap it as float64,
  // which TensorIterator then casts to a's dtype with an extra allocation and copy kernel per op;
  // the value used is the same (the cast happens either way), so results and gradients are too.
  // Reduced-precision types keep the Scalar path: their kernels read the scalar at full precision.
  at::ScalarType st = a.scalar_type();
  if ((st == at::kFloat || st == at::kDouble) && op <= ATS_S_DIV && op >= ATS_S_ADD) {
    at::Tensor w = wrapped_scalar(sv, st);
    switch (op) {
      case ATS_S_ADD: return at::add(a, w);
      case ATS_S_SUB: return at::sub(a, w);
      case ATS_S_RSUB: return at::rsub(a, w);
      case ATS_S_MUL: return at::mul(a, w);
      case ATS_S_DIV: return at::div(a, w);
    }
  }
  at::Scalar s = ats_scalar_for(a, sv);
  switch (op) {
    case ATS_S_ADD: return at::add(a, s);
    case ATS_S_SUB: return at::sub(a, s);
    case ATS_S_RSUB: return at::rsub(a, s);
    case ATS_S_MUL: return at::mul(a, s);
    case ATS_S_DIV: return at::div(a, s);
    case ATS_S_RDIV: return at::mul(at::reciprocal(a), s);
    case ATS_S_POW: return at::pow(a, s);
    case ATS_S_RPOW: return at::pow(s, a);
    case ATS_S_EQ: return at::eq(a, s);
    case ATS_S_NE: return at::ne(a, s);
    case ATS_S_LT: return at::lt(a, s);
    case ATS_S_LE: return at::le(a, s);
    case ATS_S_GT: return at::gt(a, s);
    case ATS_S_GE: return at::ge(a, s);
    case ATS_S_REMAINDER: return at::remainder(a, s);
    case ATS_S_FILL: return at::full_like(a, s);
  }
  ats_fail("unknown scalar op " + std::to_string(op));
}

// int_op_is_view reports the int ops that return views of their input.
static bool int_op_is_view(int op) {
  switch (op) {
    case ATS_TRANSPOSE:
    case ATS_UNSQUEEZE:
    case ATS_SQUEEZE:
    case ATS_SQUEEZE_ALL:
    case ATS_NARROW:
    case ATS_SLICE:
    case ATS_SELECT:
    case ATS_FLATTEN:
      return true;
  }
  return false;
}

static at::Tensor int_op(int op, const at::Tensor &a, int64_t x, int64_t y, int64_t z) {
  switch (op) {
    case ATS_TRANSPOSE: return a.transpose(x, y);
    case ATS_UNSQUEEZE: return a.unsqueeze(x);
    case ATS_SQUEEZE: return a.squeeze(x);
    case ATS_SQUEEZE_ALL: return a.squeeze();
    case ATS_NARROW: return a.narrow(x, y, z);
    case ATS_SLICE: return a.slice(x, y, z, 1);
    case ATS_SELECT: return a.select(x, y);
    case ATS_TRIL: return at::tril(a, x);
    case ATS_TRIU: return at::triu(a, x);
    case ATS_CUMSUM: return at::cumsum(a, x);
    case ATS_SOFTMAX: return at::_softmax(a, x, false);
    case ATS_LOG_SOFTMAX: return at::_log_softmax(a, x, false);
    case ATS_FLATTEN: return a.flatten(x, y);
    case ATS_ARGMAX: return at::argmax(a, x, y != 0);
    case ATS_ARGMAX_ALL: return at::argmax(a);
    case ATS_ARGMIN: return at::argmin(a, x, y != 0);
    case ATS_ROLL: return at::roll(a, {x}, {y});
    case ATS_REPEAT_INTERLEAVE: return at::repeat_interleave(a, x, y);
  }
  ats_fail("unknown int op " + std::to_string(op));
}

static at::Tensor shape_op(int op, const at::Tensor &a, at::IntArrayRef s) {
  switch (op) {
    case ATS_VIEW: return a.view(s);
    case ATS_RESHAPE: return a.reshape(s);
    case ATS_EXPAND: return a.expand(s);
    case ATS_PERMUTE: return a.permute(s);
    case ATS_REPEAT: return a.repeat(s);
    case ATS_FLIP: return a.flip(s);
  }
  ats_fail("unknown shape op " + std::to_string(op));
}

// ndims < 0 reduces over all dimensions. extra: the correction of std/var, the p of norm.
static at::Tensor reduce_op(int op, const at::Tensor &a, const int64_t *dims, int ndims,
                            bool kd, double extra) {
  bool all = ndims < 0;
  at::IntArrayRef d = all ? at::IntArrayRef() : ats_dims(dims, ndims);
  c10::optional<at::IntArrayRef> od = all ? c10::nullopt : c10::optional<at::IntArrayRef>(d);
  switch (op) {
    case ATS_R_SUM: return all ? at::sum(a) : at::sum(a, d, kd);
    case ATS_R_MEAN: return all ? at::mean(a) : at::mean(a, d, kd);
    case ATS_R_AMAX: return at::amax(a, d, kd);
    case ATS_R_AMIN: return at::amin(a, d, kd);
    case ATS_R_LOGSUMEXP: {
      if (!all) return at::logsumexp(a, d, kd);
      std::vector<int64_t> every(a.dim());
      for (int64_t i = 0; i < a.dim(); i++) every[i] = i;
      return at::logsumexp(a, every, kd);
    }
    case ATS_R_STD: return at::std(a, od, c10::optional<int64_t>(static_cast<int64_t>(extra)), kd);
    case ATS_R_VAR: return at::var(a, od, c10::optional<int64_t>(static_cast<int64_t>(extra)), kd);
    case ATS_R_PROD:
      if (all) return at::prod(a);
      if (ndims != 1) ats_fail("prod reduces one dimension at a time");
      return at::prod(a, d[0], kd);
    case ATS_R_ALL:
      if (all) return at::all(a);
      if (ndims != 1) ats_fail("all reduces one dimension at a time");
      return at::all(a, d[0], kd);
    case ATS_R_ANY:
      if (all) return at::any(a);
      if (ndims != 1) ats_fail("any reduces one dimension at a time");
      return at::any(a, d[0], kd);
    case ATS_R_NORM: return at::linalg_vector_norm(a, at::Scalar(extra), od, kd);
  }
  ats_fail("unknown reduction " + std::to_string(op));
}

extern "C" {

ats_ret ats_unary(int op, ats_tensor ha) {
  ATS_TRY_R
  const at::Tensor &a = ats_ref(ha);
  return ats_below(ats_no_grad_for(a), [&] { return unary_op(op, a); });
  ATS_CATCH_R
}

ats_ret ats_binary(int op, ats_tensor ha, ats_tensor hb) {
  ATS_TRY_R
  const at::Tensor &a = ats_ref(ha);
  const at::Tensor &b = ats_ref(hb);
  return ats_below(ats_no_grad_for(a, b), [&] { return binary_op(op, a, b); });
  ATS_CATCH_R
}

ats_ret ats_scalar_op(int op, ats_tensor ha, double sv) {
  ATS_TRY_R
  const at::Tensor &a = ats_ref(ha);
  return ats_below(ats_no_grad_for(a), [&] { return scalar_op(op, a, sv); });
  ATS_CATCH_R
}

ats_ret ats_int_op(int op, ats_tensor ha, int64_t x, int64_t y, int64_t z) {
  ATS_TRY_R
  const at::Tensor &a = ats_ref(ha);
  return ats_below(!int_op_is_view(op) && ats_no_grad_for(a),
                   [&] { return int_op(op, a, x, y, z); });
  ATS_CATCH_R
}

ats_ret ats_shape_op(int op, ats_tensor ha, const int64_t *shape, int n) {
  ATS_TRY_R
  const at::Tensor &a = ats_ref(ha);
  bool functional = op == ATS_REPEAT || op == ATS_FLIP;  // the others are views
  return ats_below(functional && ats_no_grad_for(a),
                   [&] { return shape_op(op, a, ats_dims(shape, n)); });
  ATS_CATCH_R
}

ats_ret ats_reduce(int op, ats_tensor ha, const int64_t *dims, int ndims, int keepdim,
                   double extra) {
  ATS_TRY_R
  const at::Tensor &a = ats_ref(ha);
  return ats_below(ats_no_grad_for(a),
                   [&] { return reduce_op(op, a, dims, ndims, keepdim != 0, extra); });
  ATS_CATCH_R
}

ats_tensor ats_reduce_indices(int op, ats_tensor ha, int64_t dim, int keepdim,
                              ats_tensor *indices, char **err) {
  ATS_TRY
  *indices = nullptr;
  const at::Tensor &a = ats_ref(ha);
  std::tuple<at::Tensor, at::Tensor> r;
  switch (op) {
    case ATS_RI_MAX: r = at::max(a, dim, keepdim != 0); break;
    case ATS_RI_MIN: r = at::min(a, dim, keepdim != 0); break;
    default: ats_fail("unknown indexed reduction " + std::to_string(op));
  }
  *indices = ats_wrap(std::get<1>(r));
  return ats_wrap(std::get<0>(r));
  ATS_CATCH(nullptr)
}

ats_tensor ats_topk(ats_tensor ha, int64_t k, int64_t dim, int largest, ats_tensor *indices,
                    char **err) {
  ATS_TRY
  *indices = nullptr;
  auto r = at::topk(ats_ref(ha), k, dim, largest != 0, true);
  *indices = ats_wrap(std::get<1>(r));
  return ats_wrap(std::get<0>(r));
  ATS_CATCH(nullptr)
}

ats_tensor ats_sort(ats_tensor ha, int64_t dim, int descending, ats_tensor *indices, char **err) {
  ATS_TRY
  *indices = nullptr;
  auto r = at::sort(ats_ref(ha), /*stable=*/true, dim, descending != 0);
  *indices = ats_wrap(std::get<1>(r));
  return ats_wrap(std::get<0>(r));
  ATS_CATCH(nullptr)
}

ats_ret ats_clamp(ats_tensor ha, double lo, double hi, int has_lo, int has_hi) {
  ATS_TRY_R
  const at::Tensor &a = ats_ref(ha);
  c10::optional<at::Scalar> l, h;
  if (has_lo) l = ats_scalar_for(a, lo);
  if (has_hi) h = ats_scalar_for(a, hi);
  return ats_below(ats_no_grad_for(a), [&] { return at::clamp(a, l, h); });
  ATS_CATCH_R
}

ats_tensor ats_where(ats_tensor cond, ats_tensor a, ats_tensor b, char **err) {
  ATS_TRY
  return ats_wrap(at::where(ats_ref(cond), ats_ref(a), ats_ref(b)));
  ATS_CATCH(nullptr)
}

ats_tensor ats_masked_fill(ats_tensor ha, ats_tensor mask, double value, char **err) {
  ATS_TRY
  const at::Tensor &a = ats_ref(ha);
  return ats_wrap(a.masked_fill(ats_ref(mask), ats_scalar_for(a, value)));
  ATS_CATCH(nullptr)
}

ats_tensor ats_index_op(int op, ats_tensor ha, int64_t dim, ats_tensor index, char **err) {
  ATS_TRY
  const at::Tensor &a = ats_ref(ha);
  const at::Tensor &i = ats_ref(index);
  switch (op) {
    case ATS_GATHER: return ats_wrap(at::gather(a, dim, i));
    case ATS_INDEX_SELECT: return ats_wrap(at::index_select(a, dim, i));
    case ATS_EMBEDDING: return ats_wrap(at::embedding(a, i));
  }
  ats_fail("unknown index op " + std::to_string(op));
  ATS_CATCH(nullptr)
}

ats_tensor ats_join(int op, ats_tensor *ts, int n, int64_t dim, char **err) {
  ATS_TRY
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int i = 0; i < n; i++) v.push_back(ats_ref(ts[i]));
  switch (op) {
    case ATS_CAT: return ats_wrap(at::cat(v, dim));
    case ATS_STACK: return ats_wrap(at::stack(v, dim));
  }
  ats_fail("unknown join op " + std::to_string(op));
  ATS_CATCH(nullptr)
}

}  // extern "C"
