// Lifecycle, thread state, metadata, creation and conversion.
#include "shim_internal.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <cmath>

thread_local int64_t ats_tls_scope = 0;

// The free list of handles (shim_internal.h). Plain data, never destroyed: the flusher, armed the
// first time a thread caches a handle, deletes the cached handles when the thread exits and sends
// later frees straight to delete.
thread_local ats_handle_cache ats_tls_handles;

namespace {
struct HandleFlusher {
  void arm() {}
  ~HandleFlusher() {
    ats_handle_cache &c = ats_tls_handles;
    while (c.head != nullptr) {
      ats_tensor_impl *h = c.head;
      c.head = h->next;
      delete h;
    }
    c.n = 0;
    c.dead = true;
  }
};
thread_local HandleFlusher tl_handle_flusher;
}  // namespace

void ats_handle_cache_arm() {
  tl_handle_flusher.arm();  // constructs this thread's flusher
  ats_tls_handles.armed = true;
}

extern "C" {

void ats_free(ats_tensor t) { ats_release(t); }

void ats_free_many(const uintptr_t *ts, int n) {
  for (int i = 0; i < n; i++) ats_release(reinterpret_cast<ats_tensor>(ts[i]));
}

int64_t ats_scope_close(int64_t id, int64_t prev, const uintptr_t *ts, int n) {
  int64_t cur = ats_tls_scope;
  if (cur != id) return cur;
  ats_tls_scope = prev;
  ats_free_many(ts, n);
  return id;
}

void ats_free_error(char *err) { std::free(err); }

int64_t ats_scope_swap(int64_t id) {
  int64_t prev = ats_tls_scope;
  ats_tls_scope = id;
  return prev;
}

int ats_grad_swap(int enabled) {
  bool prev = at::GradMode::is_enabled();
  at::GradMode::set_enabled(enabled != 0);
  return prev ? 1 : 0;
}

int ats_grad_enabled(void) { return at::GradMode::is_enabled() ? 1 : 0; }

void ats_set_num_threads(int n, char **err) {
  ATS_TRY
  at::set_num_threads(n);
  ATS_CATCH()
}

int ats_get_num_threads(void) { return at::get_num_threads(); }

int ats_meta(ats_tensor h, int64_t *shape, int cap, int *dtype, int *dev_type, int *dev_index,
             char **err) {
  ATS_TRY
  const at::Tensor &t = ats_ref(h);
  int nd = static_cast<int>(t.dim());
  if (shape != nullptr) {
    auto sizes = t.sizes();
    for (int i = 0; i < nd && i < cap; i++) shape[i] = sizes[i];
  }
  *dtype = static_cast<int>(t.scalar_type());
  *dev_type = t.device().is_cuda() ? 1 : 0;
  *dev_index = t.device().has_index() ? t.device().index() : 0;
  return nd;
  ATS_CATCH(-1)
}

ats_tensor ats_from_data(const void *data, size_t nbytes, const int64_t *shape, int ndim,
                         int dtype, char **err) {
  ATS_TRY
  auto opts = at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype));
  at::Tensor t = at::empty(ats_dims(shape, ndim), opts);
  if (t.nbytes() != nbytes)
    ats_fail("data holds " + std::to_string(nbytes) + " bytes, shape " +
             c10::str(t.sizes()) + " needs " + std::to_string(t.nbytes()));
  if (nbytes > 0) std::memcpy(t.data_ptr(), data, nbytes);
  return ats_wrap(std::move(t));
  ATS_CATCH(nullptr)
}

void ats_copy_out(ats_tensor h, int dtype, void *dst, size_t nbytes, char **err) {
  ATS_TRY
  at::Tensor t = ats_ref(h).detach().to(at::kCPU, static_cast<at::ScalarType>(dtype)).contiguous();
  if (t.nbytes() != nbytes)
    ats_fail("buffer holds " + std::to_string(nbytes) + " bytes, tensor has " +
             std::to_string(t.nbytes()));
  if (nbytes > 0) std::memcpy(dst, t.data_ptr(), nbytes);
  ATS_CATCH()
}

// kind: 0 zeros, 1 ones, 2 full(a), 3 randn, 4 rand, 5 randint[a, b), 6 empty, 7 eye
ats_tensor ats_fill(int kind, const int64_t *shape, int ndim, double a, double b, int dtype,
                    int dev_type, int dev_index, char **err) {
  ATS_TRY
  auto opts = at::TensorOptions()
                  .dtype(static_cast<at::ScalarType>(dtype))
                  .device(ats_device(dev_type, dev_index));
  auto size = ats_dims(shape, ndim);
  switch (kind) {
    case 0: return ats_wrap(at::zeros(size, opts));
    case 1: return ats_wrap(at::ones(size, opts));
    case 2: return ats_wrap(at::full(size, a, opts));
    case 3: return ats_wrap(at::randn(size, opts));
    case 4: return ats_wrap(at::rand(size, opts));
    case 5:
      return ats_wrap(at::randint(static_cast<int64_t>(a), static_cast<int64_t>(b), size, opts));
    case 6: return ats_wrap(at::empty(size, opts));
    case 7:
      if (ndim != 2) ats_fail("eye needs a 2-D shape");
      return ats_wrap(at::eye(shape[0], shape[1], opts));
  }
  ats_fail("unknown fill kind " + std::to_string(kind));
  ATS_CATCH(nullptr)
}

ats_tensor ats_arange(double start, double end, double step, int dtype, int dev_type,
                      int dev_index, char **err) {
  ATS_TRY
  auto opts = at::TensorOptions()
                  .dtype(static_cast<at::ScalarType>(dtype))
                  .device(ats_device(dev_type, dev_index));
  return ats_wrap(at::arange(start, end, step, opts));
  ATS_CATCH(nullptr)
}

void ats_manual_seed(uint64_t seed, char **err) {
  ATS_TRY
  auto gen = at::detail::getDefaultCPUGenerator();
  {
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_current_seed(seed);
  }
#ifdef ATS_WITH_CUDA
  at::manual_seed(seed);
#endif
  ATS_CATCH()
}

ats_tensor ats_rng_state(char **err) {
  ATS_TRY
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  return ats_wrap(gen.get_state());
  ATS_CATCH(nullptr)
}

void ats_set_rng_state(ats_tensor state, char **err) {
  ATS_TRY
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(ats_ref(state));
  ATS_CATCH()
}

ats_tensor ats_to(ats_tensor h, int dev_type, int dev_index, int dtype, int copy, char **err) {
  ATS_TRY
  return ats_wrap(ats_ref(h).to(ats_device(dev_type, dev_index),
                                static_cast<at::ScalarType>(dtype), false, copy != 0));
  ATS_CATCH(nullptr)
}

double ats_item(ats_tensor h, int64_t *as_int, char **err) {
  ATS_TRY
  const at::Tensor &t = ats_ref(h);
  if (t.numel() != 1)
    ats_fail("item needs a tensor with one element, got shape " + c10::str(t.sizes()));
  at::Scalar s = t.item();
  if (s.isIntegral(false) || s.isBoolean()) {
    *as_int = s.toLong();
    return static_cast<double>(*as_int);
  }
  double d = s.toDouble();
  *as_int = (std::isfinite(d) && std::fabs(d) < 9.2e18) ? static_cast<int64_t>(d) : 0;
  return d;
  ATS_CATCH(0)
}

}  // extern "C"
