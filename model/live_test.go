package model

import (
	"runtime"
	"time"

	"github.com/atomsearcher/atomsearcher/tensor"
)

// SettledLive is tensor.Live once the garbage collector has run the safety-net cleanups of the
// tensors earlier tests dropped without freeing (a model loaded by a finished test, say): those
// cleanups run on their own goroutine, and one landing between a leak test's two readings of
// Live would look like a tensor freed twice. It collects until two readings 5 ms apart agree.
func SettledLive() int64 {
	last := int64(-1)
	for range 200 {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
		n := tensor.Live()
		if n == last {
			return n
		}
		last = n
	}
	return last
}
