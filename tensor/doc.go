// Package tensor is the module's binding to libtorch: tensors, their ops and autograd, optimizers
// (AdamW, SGD through torch::optim), and safetensors checkpoints read and written in pure Go. It is
// the only cgo in the module; grpo, model and train stand on it.
//
// # The model
//
// A *Tensor is a handle to a libtorch tensor. Ops are methods (x.Add(y), x.LogSoftmax(-1)) or
// functions for several inputs (Cat, Where, Linear); each returns a new handle, usually to new
// memory, sometimes a view (View, Transpose, Narrow, Detach) that shares it. A handle's memory is
// freed deterministically: by t.Free(), or by the Scope it was made in, which frees everything made
// inside it unless kept (s.Keep(t)) when it closes. A cleanup attached to each handle frees it if
// the Go value is collected first, but that is only a safety net: Go's collector does not see a
// GPU's memory. Live() counts the handles not yet freed.
//
// Errors follow gonum's mat: a programmer error (shape or dtype mismatch, index out of range, use
// of a freed tensor, any exception libtorch raises) panics with a *Error carrying libtorch's
// message; Maybe(func()) turns that panic into an error. I/O (safetensors, optimizer state) returns
// errors. Every entry point of the C++ shim catches every C++ exception and returns its message
// through its own out-parameter, so no exception crosses into Go and no error state is shared
// between calls or threads.
//
// libtorch keeps grad mode per OS thread, while goroutines move between threads. NoGrad(f) locks
// the goroutine to its thread while f runs, sets the thread's mode and restores it before
// unlocking, so grad mode is correct for the goroutine that asked and untouched for all others.
// Scopes work the same way: NewScope locks the goroutine to its thread until Close, and the shim
// stamps each new tensor with its thread's current scope.
//
// Checkpoint(f, inputs...) trades compute for memory: libtorch 1.13's C++ API has no
// torch.utils.checkpoint, so the shim has a custom autograd function whose forward runs the Go
// function f under no-grad through an exported cgo callback and whose backward runs f again with
// grad on detached inputs and backpropagates through the recomputed graph (see Checkpoint).
//
// Small tensors are cheap. The hot ops return their result by value (no out-parameter escaping
// per call). A functional op (a new result, neither a view nor in place) whose inputs need no
// gradient, because grad mode is off or no input requires grad, goes straight to libtorch's
// backend kernel, skipping the autograd kernels that would find nothing to record; views and
// in-place ops always take libtorch's full path. The shim keeps freed handles, and the last few
// wrapped scalars (the 0-D tensor behind t.MulScalar(0.5)), per thread. A new tensor finds the
// scope stamped on its handle with one atomic load, and a scope closes (enclosing scope restored,
// tensors freed) in one shim call. The CPU allocator the shim installs keeps freed blocks of up to
// 64 KiB in per-thread caches, and on glibc it raises malloc's mmap and trim thresholds (to 1 and
// 2 GiB) so that large blocks freed in one training step are reused by the next instead of being
// unmapped and faulted in again, which had been half the CPU time of the embedded default's SFT;
// the resident size then stays at its peak. MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_ or
// GLIBC_TUNABLES in the environment keep the user's malloc settings; ATOMSEARCHER_TORCH_DEFAULT_ALLOCATOR
// set to a non-empty value keeps libtorch's allocator and glibc's defaults. CPUMemory reports the
// bytes the allocator holds for live tensors and their peak.
//
// DTypes are libtorch's (Float32, BFloat16, Int64, Bool, ...); devices are CPU and CUDA(i). The
// default build links Debian's CPU libtorch 1.13; a CUDA libtorch 2.x is selected by the
// environment scripts/libtorch-env.sh prints and the cuda build tag (see cgo.go, cgo_cuda.go).
//
// # Example
//
//	tensor.WithScope(func(s *tensor.Scope) {
//		w := tensor.Randn([]int64{4, 3}, tensor.Float32, tensor.CPU).SetRequiresGrad(true)
//		s.Keep(w) // a parameter outlives the scope
//		x := tensor.New([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
//		loss := tensor.Linear(x, w, nil).LogSoftmax(-1).Mean().Neg()
//		loss.Backward()
//		fmt.Println(w.Grad().Shape()) // [4 3]
//	}) // x, loss, the gradient handle and the intermediates are freed here
package tensor
