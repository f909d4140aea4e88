package tensor

/*
#include "shim.h"
*/
import "C"

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Scope frees, when it closes, every tensor made inside it that was not kept. "Inside" means made
// by the goroutine that opened the scope, between NewScope and Close: the scope locks that
// goroutine to its OS thread and the shim stamps each new tensor with the thread's current scope,
// so tensors made by other goroutines (even ones started inside) never land in it.
//
// Scopes nest: Keep moves a tensor to the enclosing scope (or out of all scopes when there is
// none). Close them innermost first, on the goroutine that opened them (defer s.Close()).
type Scope struct {
	id       int64
	prevID   int64
	parent   *Scope
	owned    []*Tensor
	buf      *[]*Tensor // owned's pooled backing array
	overflow bool       // registered in scopeOverflow rather than scopeSlots
	closed   bool
}

// Open scopes by id, for wrap to find the scope stamped on a new handle. Scope i sits in
// scopeSlots[i%len] unless an older open scope holds that slot, in which case it goes to the
// mutex-guarded overflow map: finding the scope of a new tensor is an atomic load and a compare,
// and opening or closing a scope takes no lock, unless hundreds are open at once.
var (
	nextScopeID   atomic.Int64
	scopeSlots    [256]atomic.Pointer[Scope]
	scopeOverflow struct {
		sync.Mutex
		m map[int64]*Scope
	}
)

func scopeSlot(id int64) *atomic.Pointer[Scope] {
	return &scopeSlots[uint64(id)%uint64(len(scopeSlots))]
}

func scopeByID(id int64) *Scope {
	if s := scopeSlot(id).Load(); s != nil && s.id == id {
		return s
	}
	scopeOverflow.Lock()
	s := scopeOverflow.m[id]
	scopeOverflow.Unlock()
	return s
}

func registerScope(s *Scope) {
	if scopeSlot(s.id).CompareAndSwap(nil, s) {
		return
	}
	s.overflow = true
	scopeOverflow.Lock()
	if scopeOverflow.m == nil {
		scopeOverflow.m = make(map[int64]*Scope)
	}
	scopeOverflow.m[s.id] = s
	scopeOverflow.Unlock()
}

func unregisterScope(s *Scope) {
	if !s.overflow {
		scopeSlot(s.id).Store(nil)
		return
	}
	scopeOverflow.Lock()
	delete(scopeOverflow.m, s.id)
	scopeOverflow.Unlock()
}

// NewScope opens a scope on the calling goroutine. Close it with defer.
func NewScope() *Scope {
	runtime.LockOSThread()
	buf := ownedBufs.Get().(*[]*Tensor)
	s := &Scope{id: nextScopeID.Add(1), buf: buf, owned: *buf}
	registerScope(s)
	s.prevID = int64(C.ats_scope_swap(C.int64_t(s.id)))
	if s.prevID != 0 {
		s.parent = scopeByID(s.prevID)
	}
	return s
}

// Close frees the tensors the scope still owns and makes the enclosing scope current again.
// Closing twice is a no-op; closing out of order, or on another goroutine, panics with a *Error.
func (s *Scope) Close() {
	if s.closed {
		return
	}
	// Restore the enclosing scope and free the handles in one shim call: a cgo call per tensor was
	// a tenth of a chain of small ops. The shim does neither unless s is the thread's current scope.
	hs := handleBufs.Get().(*[]C.uintptr_t)
	for _, t := range s.owned {
		if t.scope == s && t.h != nil {
			*hs = append(*hs, C.uintptr_t(uintptr(unsafe.Pointer(t.h))))
		}
	}
	n := len(*hs)
	var first *C.uintptr_t
	if n > 0 {
		first = &(*hs)[0]
	}
	cur := int64(C.ats_scope_close(C.int64_t(s.id), C.int64_t(s.prevID), first, C.int(n)))
	*hs = (*hs)[:0]
	handleBufs.Put(hs)
	if cur != s.id {
		fail("Scope.Close", "scope %d closed while scope %d is current: close scopes innermost first, on the goroutine that opened them", s.id, cur)
	}
	live.Add(-int64(n))
	s.closed = true
	unregisterScope(s)
	runtime.UnlockOSThread()
	owned := s.owned
	s.owned = nil
	for i, t := range owned {
		owned[i] = nil
		if t.scope != s || t.h == nil {
			continue
		}
		t.h = nil
		t.scope = nil
		t.cleanup.Stop() // armed only if the tensor was kept out and moved back in: normally a no-op
	}
	if s.buf != nil && cap(owned) <= maxPooledOwned {
		*s.buf = owned[:0]
		ownedBufs.Put(s.buf)
	}
	s.buf = nil
}

// Buffers reused across scopes: the owned list (grown by append as a scope makes tensors) and the
// handles freed together at Close.
const maxPooledOwned = 4096

var (
	ownedBufs  = sync.Pool{New: func() any { b := make([]*Tensor, 0, 32); return &b }}
	handleBufs = sync.Pool{New: func() any { b := make([]C.uintptr_t, 0, 32); return &b }}
)

// Keep moves tensors out of the scope to the enclosing one (or out of every scope), so Close
// does not free them. Tensors the scope does not own are left as they are.
func (s *Scope) Keep(ts ...*Tensor) {
	for _, t := range ts {
		if t == nil || t.scope != s {
			continue
		}
		t.scope = s.parent
		if s.parent != nil {
			s.parent.owned = append(s.parent.owned, t)
		} else if t.h != nil {
			t.armCleanup()
		}
	}
}

// Len returns the number of tensors the scope still owns (kept and freed ones excluded).
func (s *Scope) Len() int {
	n := 0
	for _, t := range s.owned {
		if t.scope == s {
			n++
		}
	}
	return n
}

// WithScope runs f in a new scope and closes it when f returns or panics.
func WithScope(f func(s *Scope)) {
	s := NewScope()
	defer s.Close()
	f(s)
}

// Scoped runs f in a new scope, keeps the tensor f returns and frees everything else f made.
func Scoped(f func() *Tensor) *Tensor {
	s := NewScope()
	defer s.Close()
	t := f()
	s.Keep(t)
	return t
}
