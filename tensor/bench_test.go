package tensor_test

import (
	"testing"

	"github.com/atomsearcher/atomsearcher/tensor"
)

// chain20 is the dispatch-overhead workload of bench/tensor.sh: 20 small ops on [8,16] float32
// tensors, the same chain as bench/tensor_peer.py.
func chain20(x, y *tensor.Tensor) {
	tensor.WithScope(func(*tensor.Scope) {
		z := x.Add(y)
		z = z.Mul(x)
		z = z.Sub(y)
		z = z.MulScalar(0.5)
		z = z.Exp()
		z = z.AddScalar(1)
		z = z.Log()
		z = z.Tanh()
		z = z.Sigmoid()
		z = z.Div(y.Abs().AddScalar(1))
		z = z.Clamp(-1, 1)
		z = z.Neg()
		z = z.Maximum(x)
		z = z.Softmax(-1)
		z = z.LogSoftmax(-1)
		z = z.Transpose(0, 1)
		z = z.Contiguous()
		z.SumDims([]int{0}, false)
	})
}

func BenchmarkChain20Small(b *testing.B) {
	tensor.ManualSeed(0)
	x := tensor.Randn([]int64{8, 16}, tensor.Float32, tensor.CPU)
	y := tensor.Randn([]int64{8, 16}, tensor.Float32, tensor.CPU)
	defer x.Free()
	defer y.Free()
	b.ReportAllocs()
	for b.Loop() {
		chain20(x, y)
	}
}

// BenchmarkBindingOverhead20 is the binding's share of BenchmarkChain20Small: a scope and 20 ops
// that do almost no libtorch work (Contiguous of a contiguous tensor returns it as a new handle).
func BenchmarkBindingOverhead20(b *testing.B) {
	x := tensor.Randn([]int64{8, 16}, tensor.Float32, tensor.CPU)
	defer x.Free()
	b.ReportAllocs()
	for b.Loop() {
		tensor.WithScope(func(*tensor.Scope) {
			for range 20 {
				x.Contiguous()
			}
		})
	}
}

func BenchmarkMatmul(b *testing.B) {
	for _, n := range []int64{64, 256, 1024} {
		b.Run(sizeName(n), func(b *testing.B) {
			x := tensor.Randn([]int64{n, n}, tensor.Float32, tensor.CPU)
			y := tensor.Randn([]int64{n, n}, tensor.Float32, tensor.CPU)
			defer x.Free()
			defer y.Free()
			for b.Loop() {
				x.Matmul(y).Free()
			}
		})
	}
}

func BenchmarkSoftmax(b *testing.B) {
	for _, n := range []int64{256, 1024, 4096} {
		b.Run(sizeName(n), func(b *testing.B) {
			x := tensor.Randn([]int64{n, n}, tensor.Float32, tensor.CPU)
			defer x.Free()
			for b.Loop() {
				x.Softmax(-1).Free()
			}
		})
	}
}

func sizeName(n int64) string {
	switch {
	case n >= 1024:
		return itoa(n/1024) + "k"
	default:
		return itoa(n)
	}
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
