package tensor

/*
#include "shim.h"
*/
import "C"

import (
	"runtime"
	"sync/atomic"
)

// Tensor is a handle to a libtorch tensor. Its memory is freed by Free or by the Scope it was made
// in; a cleanup frees it if neither happens before the Go value is collected, but that is only a
// safety net (the Go collector does not see libtorch's memory, least of all a GPU's).
//
// A Tensor is not safe for concurrent mutation (in-place ops, Free, RequiresGrad) from several
// goroutines; concurrent reads by ops that make new tensors are fine.
type Tensor struct {
	h       C.ats_tensor
	scope   *Scope
	cleanup runtime.Cleanup
}

// live counts the handles not yet freed.
var live atomic.Int64

// Live returns the number of tensors made by this package and not yet freed. Leak tests compare it
// before and after.
func Live() int64 { return live.Load() }

func freeHandle(h C.ats_tensor) {
	C.ats_free(h)
	live.Add(-1)
}

// wrap takes ownership of a new handle from the shim: it counts it and registers it with the scope
// stamped on it (the creating thread's current scope), or arms the safety-net cleanup when unscoped.
//
// Each Tensor is its own Go allocation. Cutting them from blocks shared by a scope saved an
// allocation per op but tied the cleanup of a tensor kept out of all scopes to the reachability of
// every tensor of its block, so a dropped tensor was collected much later (model's Live-counting
// tests saw it).
func wrap(h C.ats_tensor) *Tensor {
	live.Add(1)
	if id := int64(h.scope); id != 0 {
		if s := scopeByID(id); s != nil {
			// The scope frees it; the safety net is armed only if Keep moves it out of all scopes.
			t := &Tensor{h: h, scope: s}
			s.owned = append(s.owned, t)
			return t
		}
	}
	t := &Tensor{h: h}
	t.armCleanup()
	return t
}

// armCleanup attaches the safety-net cleanup that frees the handle if the Tensor is collected
// before Free.
func (t *Tensor) armCleanup() { t.cleanup = runtime.AddCleanup(t, freeHandle, t.h) }

// result checks a shim call that returned a new tensor and wraps it.
func result(op string, h C.ats_tensor, cerr *C.char) *Tensor {
	if cerr != nil {
		panic(takeError(op, cerr))
	}
	return wrap(h)
}

// ret checks a shim call that returned an ats_ret (the hot ops: no out-parameter, so nothing
// escapes to the heap and cgo has no pointer argument to check) and wraps its tensor.
func ret(op string, r C.ats_ret) *Tensor {
	if r.err != nil {
		panic(takeError(op, r.err))
	}
	return wrap(r.t)
}

// Free releases the tensor's memory now. Free is idempotent; any other use of a freed tensor
// panics with a *Error. A tensor owned by a Scope may be freed early.
func (t *Tensor) Free() {
	if t == nil || t.h == nil {
		return
	}
	t.cleanup.Stop()
	h := t.h
	t.h = nil
	t.scope = nil
	freeHandle(h)
}

// handle returns the live handle, panicking for a nil or freed tensor.
func (t *Tensor) handle(op string) C.ats_tensor {
	if t == nil {
		fail(op, "nil tensor")
	}
	if t.h == nil {
		fail(op, "use of a freed tensor")
	}
	return t.h
}

// optHandle is handle for optional arguments: nil stays nil.
func (t *Tensor) optHandle(op string) C.ats_tensor {
	if t == nil {
		return nil
	}
	return t.handle(op)
}

// Freed reports whether the tensor's memory has been released.
func (t *Tensor) Freed() bool { return t == nil || t.h == nil }

type meta struct {
	shape  []int64
	dtype  DType
	device Device
}

func (t *Tensor) meta(op string, withShape bool) meta {
	h := t.handle(op)
	var buf [8]int64
	var dt, devType, devIndex C.int
	var cerr *C.char
	nd := C.ats_meta(h, (*C.int64_t)(&buf[0]), C.int(len(buf)), &dt, &devType, &devIndex, &cerr)
	check(op, cerr)
	m := meta{dtype: DType(dt), device: Device{Type: DeviceType(devType), Index: int(devIndex)}}
	if withShape {
		if int(nd) <= len(buf) {
			m.shape = append([]int64{}, buf[:nd]...)
		} else {
			m.shape = make([]int64, nd)
			C.ats_meta(h, (*C.int64_t)(&m.shape[0]), nd, &dt, &devType, &devIndex, &cerr)
			check(op, cerr)
		}
	}
	return m
}

// Shape returns the sizes of the tensor's dimensions (a new slice).
func (t *Tensor) Shape() []int64 { return t.meta("Shape", true).shape }

// Dim returns the number of dimensions.
func (t *Tensor) Dim() int { return len(t.meta("Dim", true).shape) }

// Size returns the size of dimension dim (negative counts from the end).
func (t *Tensor) Size(dim int) int64 {
	s := t.meta("Size", true).shape
	d := dim
	if d < 0 {
		d += len(s)
	}
	if d < 0 || d >= len(s) {
		fail("Size", "dimension %d out of range for a %d-D tensor", dim, len(s))
	}
	return s[d]
}

// Numel returns the number of elements.
func (t *Tensor) Numel() int64 {
	n := int64(1)
	for _, s := range t.Shape() {
		n *= s
	}
	return n
}

// DType returns the element type.
func (t *Tensor) DType() DType { return t.meta("DType", false).dtype }

// Device returns the device the tensor lives on.
func (t *Tensor) Device() Device { return t.meta("Device", false).device }

// Item returns the value of a one-element tensor as a float64.
func (t *Tensor) Item() float64 {
	var i C.int64_t
	var cerr *C.char
	v := C.ats_item(t.handle("Item"), &i, &cerr)
	check("Item", cerr)
	return float64(v)
}

// Int returns the value of a one-element tensor as an int64 (truncated for floats).
func (t *Tensor) Int() int64 {
	var i C.int64_t
	var cerr *C.char
	C.ats_item(t.handle("Int"), &i, &cerr)
	check("Int", cerr)
	return int64(i)
}

// Bool returns the value of a one-element tensor as a bool (non-zero is true).
func (t *Tensor) Bool() bool { return t.Item() != 0 }

// SetNumThreads sets the number of threads libtorch uses for intra-op parallelism.
func SetNumThreads(n int) error {
	if n < 1 {
		return &Error{Op: "SetNumThreads", Msg: "thread count must be positive"}
	}
	var cerr *C.char
	C.ats_set_num_threads(C.int(n), &cerr)
	return errorOf("SetNumThreads", cerr)
}

// NumThreads returns the number of threads libtorch uses for intra-op parallelism.
func NumThreads() int { return int(C.ats_get_num_threads()) }
