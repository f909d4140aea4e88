// C++-only helpers shared by the shim's translation units.
#ifndef ATS_SHIM_INTERNAL_H
#define ATS_SHIM_INTERNAL_H
#include <ATen/ATen.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "shim.h"

struct ats_tensor_impl : ats_tensor_s {
  at::Tensor t;
  ats_tensor_impl *next;  // the next free handle, while on a thread's free list
};

// The current scope of this OS thread; stamped on every handle the thread creates.
extern thread_local int64_t ats_tls_scope;

// Freed handles are kept, their tensor released, on a per-thread free list (plain data, so the
// thread-local needs no guard or wrapper; see tensor_shim.cc): a chain of small ops makes and frees
// a handle per op, and a scope frees its handles together, past the few that glibc's per-thread
// cache holds.
constexpr int ATS_HANDLE_CACHE = 256;
struct ats_handle_cache {
  ats_tensor_impl *head;
  int n;
  bool armed, dead;
};
extern thread_local ats_handle_cache ats_tls_handles;
void ats_handle_cache_arm();

inline ats_tensor ats_wrap(at::Tensor t) {
  ats_handle_cache &c = ats_tls_handles;
  ats_tensor_impl *h = c.head;
  if (h != nullptr) {
    c.head = h->next;
    c.n--;
  } else {
    h = new ats_tensor_impl;
  }
  h->scope = ats_tls_scope;
  h->t = std::move(t);
  return h;
}

// ats_release frees a handle (C++ side of ats_free): its tensor now, the handle to the free list.
inline void ats_release(ats_tensor th) {
  auto *h = static_cast<ats_tensor_impl *>(th);
  h->t.reset();
  ats_handle_cache &c = ats_tls_handles;
  if (c.n < ATS_HANDLE_CACHE && !c.dead) {
    if (!c.armed) ats_handle_cache_arm();
    h->next = c.head;
    c.head = h;
    c.n++;
    return;
  }
  delete h;
}

inline at::Tensor &ats_ref(ats_tensor h) { return static_cast<ats_tensor_impl *>(h)->t; }

inline char *ats_dup(const char *s) {
  size_t n = std::strlen(s);
  char *out = static_cast<char *>(std::malloc(n + 1));
  if (out != nullptr) std::memcpy(out, s, n + 1);
  return out;
}

inline at::IntArrayRef ats_dims(const int64_t *p, int n) {
  return at::IntArrayRef(p, static_cast<size_t>(n));
}

inline at::Device ats_device(int type, int index) {
  return type == 1 ? at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index)) : at::Device(at::kCPU);
}

[[noreturn]] inline void ats_fail(const std::string &msg) { throw std::invalid_argument(msg); }

#define ATS_TRY \
  *err = nullptr; \
  try {
#define ATS_CATCH(ret)                                   \
  }                                                      \
  catch (const c10::Error &e) {                          \
    *err = ats_dup(e.what_without_backtrace());          \
  }                                                      \
  catch (const std::exception &e) {                      \
    *err = ats_dup(e.what());                            \
  }                                                      \
  catch (...) {                                          \
    *err = ats_dup("unknown C++ exception");             \
  }                                                      \
  return ret;

// ATS_TRY_R / ATS_CATCH_R bracket the body of an entry point returning ats_ret; ats_ok wraps its
// tensor.
inline ats_ret ats_ok(at::Tensor t) { return ats_ret{ats_wrap(std::move(t)), nullptr}; }

// Autograd has nothing to record for a functional op (new output, not a view, not in place) when
// grad mode is off or no input requires grad: then the op may skip libtorch's autograd and
// ADInplaceOrView kernels and dispatch straight to the backend kernel, which is what those kernels
// do themselves in that case (after checking every input; this binding makes no forward-mode dual
// tensors, so there are no forward gradients to propagate either). ats_below runs f that way when
// skip is set, through libtorch's usual path otherwise. Never use it for views or in-place ops:
// ADInplaceOrView records the view and version-counter sharing that autograd needs later.
template <class F>
inline ats_ret ats_below(bool skip, F f) {
  if (skip) {
    at::AutoDispatchBelowADInplaceOrView guard;
    return ats_ok(f());
  }
  return ats_ok(f());
}

inline bool ats_no_grad_for(const at::Tensor &a) {
  return !a.requires_grad() || !at::GradMode::is_enabled();
}

inline bool ats_no_grad_for(const at::Tensor &a, const at::Tensor &b) {
  return (!a.requires_grad() && !b.requires_grad()) || !at::GradMode::is_enabled();
}

#define ATS_TRY_R try {
#define ATS_CATCH_R                                              \
  }                                                              \
  catch (const c10::Error &e) {                                  \
    return ats_ret{nullptr, ats_dup(e.what_without_backtrace())}; \
  }                                                              \
  catch (const std::exception &e) {                              \
    return ats_ret{nullptr, ats_dup(e.what())};                  \
  }                                                              \
  catch (...) {                                                  \
    return ats_ret{nullptr, ats_dup("unknown C++ exception")};   \
  }

#endif
