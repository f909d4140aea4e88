#ifndef ATS_SHIM_H
#define ATS_SHIM_H
// The C interface of the libtorch shim. Every entry point catches every C++ exception and reports
// it through its own err out-parameter: NULL on success, else a malloc'd message the caller frees
// (ats_free_error). Functions returning a new tensor return NULL on error.
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

// A tensor handle. The C++ side extends it with the at::Tensor; C (and Go) sees only the scope id
// stamped on the handle at creation: the creating thread's current scope (ats_scope_swap).
typedef struct ats_tensor_s {
  int64_t scope;
} ats_tensor_s;
typedef ats_tensor_s *ats_tensor;

// The result of the hot single-tensor ops (elementwise, shape, reduce, clamp): the new tensor, or
// NULL and a malloc'd message. Returned by value so the caller passes no out-parameter (for Go,
// no pointer argument to check and no variable escaping to the heap on every op).
typedef struct ats_ret {
  ats_tensor t;
  char *err;
} ats_ret;

// Lifecycle and thread state. ats_free_many frees n handles (passed as integers, so that cgo has no
// pointers to check in the array) in one call. ats_scope_close closes scope id on this thread: when
// it is the current scope, it makes prev current, frees the n handles and returns id; otherwise it
// changes nothing and returns the current scope.
void ats_free(ats_tensor t);
void ats_free_many(const uintptr_t *ts, int n);
int64_t ats_scope_close(int64_t id, int64_t prev, const uintptr_t *ts, int n);
void ats_free_error(char *err);
int64_t ats_scope_swap(int64_t id);
int ats_grad_swap(int enabled);
int ats_grad_enabled(void);
void ats_set_num_threads(int n, char **err);
int ats_get_num_threads(void);

// Metadata.
int ats_meta(ats_tensor t, int64_t *shape, int cap, int *dtype, int *dev_type, int *dev_index,
             char **err);

// Creation. dev_type 0 CPU, 1 CUDA.
ats_tensor ats_from_data(const void *data, size_t nbytes, const int64_t *shape, int ndim,
                         int dtype, char **err);
void ats_copy_out(ats_tensor t, int dtype, void *dst, size_t nbytes, char **err);
ats_tensor ats_fill(int kind, const int64_t *shape, int ndim, double a, double b, int dtype,
                    int dev_type, int dev_index, char **err);
ats_tensor ats_arange(double start, double end, double step, int dtype, int dev_type,
                      int dev_index, char **err);
void ats_manual_seed(uint64_t seed, char **err);
ats_tensor ats_rng_state(char **err);
void ats_set_rng_state(ats_tensor state, char **err);
ats_tensor ats_to(ats_tensor t, int dev_type, int dev_index, int dtype, int copy, char **err);
double ats_item(ats_tensor t, int64_t *as_int, char **err);

// Mapped memory shared by zero-copy tensors: refcounted, unmapped when the last user releases.
typedef struct ats_mapping ats_mapping;
ats_mapping *ats_mapping_open(const char *path, void **addr, size_t *len, char **err);
void ats_mapping_release(ats_mapping *m);
ats_tensor ats_from_mapping(ats_mapping *m, size_t offset, const int64_t *shape, int ndim,
                            int dtype, char **err);

// Elementwise and shape ops, dispatched by op code (see ops.go for the codes).
ats_ret ats_unary(int op, ats_tensor a);
ats_ret ats_binary(int op, ats_tensor a, ats_tensor b);
ats_ret ats_scalar_op(int op, ats_tensor a, double s);
ats_ret ats_int_op(int op, ats_tensor a, int64_t x, int64_t y, int64_t z);
ats_ret ats_shape_op(int op, ats_tensor a, const int64_t *shape, int n);
ats_ret ats_reduce(int op, ats_tensor a, const int64_t *dims, int ndims, int keepdim,
                   double extra);
ats_tensor ats_reduce_indices(int op, ats_tensor a, int64_t dim, int keepdim, ats_tensor *indices,
                              char **err);
ats_tensor ats_topk(ats_tensor a, int64_t k, int64_t dim, int largest, ats_tensor *indices,
                    char **err);
ats_tensor ats_sort(ats_tensor a, int64_t dim, int descending, ats_tensor *indices, char **err);
ats_ret ats_clamp(ats_tensor a, double lo, double hi, int has_lo, int has_hi);
ats_tensor ats_where(ats_tensor cond, ats_tensor a, ats_tensor b, char **err);
ats_tensor ats_masked_fill(ats_tensor a, ats_tensor mask, double value, char **err);
ats_tensor ats_index_op(int op, ats_tensor a, int64_t dim, ats_tensor index, char **err);
ats_tensor ats_join(int op, ats_tensor *ts, int n, int64_t dim, char **err);

// Neural-network ops.
ats_tensor ats_linear(ats_tensor x, ats_tensor w, ats_tensor b, char **err);
ats_tensor ats_layer_norm(ats_tensor x, const int64_t *shape, int n, ats_tensor w, ats_tensor b,
                          double eps, char **err);
ats_tensor ats_rms_norm(ats_tensor x, ats_tensor w, double eps, char **err);
ats_tensor ats_sdpa(ats_tensor q, ats_tensor k, ats_tensor v, ats_tensor mask, int causal,
                    double dropout, double scale, char **err);
ats_tensor ats_dropout(ats_tensor a, double p, int train, char **err);
ats_tensor ats_cross_entropy(ats_tensor logits, ats_tensor target, int64_t ignore_index,
                             int reduction, double label_smoothing, char **err);
ats_tensor ats_multinomial(ats_tensor probs, int64_t n, int replacement, char **err);

// Autograd.
void ats_set_requires_grad(ats_tensor t, int on, char **err);
int ats_requires_grad(ats_tensor t, int *is_leaf, char **err);
void ats_backward(ats_tensor t, ats_tensor grad, int retain_graph, char **err);
ats_tensor ats_grad(ats_tensor t, char **err);
void ats_zero_grad(ats_tensor t, char **err);
void ats_set_grad(ats_tensor t, ats_tensor grad, char **err);
ats_tensor ats_detach(ats_tensor t, char **err);

// Optimizers (torch::optim). kind 0 AdamW, 1 SGD. params holds the groups' tensors one group after
// another, group_sizes[g] of them in group g; opts holds ATS_OPTIM_NOPTS doubles per group:
// lr, beta1, beta2, eps, weight_decay, amsgrad, momentum, dampening, nesterov.
#define ATS_OPTIM_NOPTS 9
typedef struct ats_optim ats_optim;
ats_optim *ats_optim_new(int kind, ats_tensor *params, const int *group_sizes, int ngroups,
                         const double *opts, char **err);
void ats_optim_free(ats_optim *o);
void ats_optim_step(ats_optim *o, char **err);
void ats_optim_zero_grad(ats_optim *o, char **err);
double ats_optim_lr(ats_optim *o, int group, char **err);
void ats_optim_set_lr(ats_optim *o, int group, double lr, char **err);
// ats_optim_save returns the state as a malloc'd buffer of *len bytes (free with ats_free_error).
char *ats_optim_save(ats_optim *o, size_t *len, char **err);
void ats_optim_load(ats_optim *o, const char *data, size_t len, char **err);
double ats_clip_grad_norm(ats_tensor *params, int n, double max_norm, double norm_type,
                          char **err);

// CPU memory held by tensors through the binding's allocator (alloc_shim.cc): live bytes and the
// high-water mark (reset to live when reset_peak); returns 0 when that allocator is not installed.
int ats_cpu_memory(int64_t *live, int64_t *peak, int reset_peak);

// CUDA (defined only in a cuda build).
int ats_cuda_device_count(void);
void ats_cuda_synchronize(int device, char **err);
void ats_cuda_memory(int device, int64_t *stats, char **err);
void ats_cuda_empty_cache(char **err);

#ifdef __cplusplus
}
#endif
#endif
