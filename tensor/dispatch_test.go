package tensor_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atomsearcher/atomsearcher/tensor"
)

// TestHotOpsRecordGradExactlyWhenNeeded covers the shim's fast path: a functional op whose inputs
// need no gradient skips libtorch's autograd kernels. For one op of each hot entry point, the
// result must equal the full path's bit for bit, require grad exactly when an input does and grad
// mode is on, and backpropagate when it does.
func TestHotOpsRecordGradExactlyWhenNeeded(t *testing.T) {
	ops := []struct {
		name string
		f    func(x, y *tensor.Tensor) *tensor.Tensor
	}{
		{"Exp", func(x, _ *tensor.Tensor) *tensor.Tensor { return x.Exp() }},
		{"Contiguous", func(x, _ *tensor.Tensor) *tensor.Tensor { return x.Transpose(0, 1).Contiguous() }},
		{"ContiguousNoCopy", func(x, _ *tensor.Tensor) *tensor.Tensor { return x.Contiguous() }},
		{"Mul", func(x, y *tensor.Tensor) *tensor.Tensor { return x.Mul(y) }},
		{"Matmul", func(x, y *tensor.Tensor) *tensor.Tensor { return x.Matmul(y.Transpose(0, 1)) }},
		{"MulScalar", func(x, _ *tensor.Tensor) *tensor.Tensor { return x.MulScalar(0.5) }},
		{"PowScalar", func(x, _ *tensor.Tensor) *tensor.Tensor { return x.PowScalar(2) }},
		{"Softmax", func(x, _ *tensor.Tensor) *tensor.Tensor { return x.Softmax(-1) }},
		{"CumSum", func(x, _ *tensor.Tensor) *tensor.Tensor { return x.CumSum(1) }},
		{"Transpose", func(x, _ *tensor.Tensor) *tensor.Tensor { return x.Transpose(0, 1) }},
		{"Narrow", func(x, _ *tensor.Tensor) *tensor.Tensor { return x.Narrow(1, 1, 2) }},
		{"Flip", func(x, _ *tensor.Tensor) *tensor.Tensor { return x.Flip(0) }},
		{"Repeat", func(x, _ *tensor.Tensor) *tensor.Tensor { return x.Repeat(2, 1) }},
		{"View", func(x, _ *tensor.Tensor) *tensor.Tensor { return x.View(12) }},
		{"SumDims", func(x, _ *tensor.Tensor) *tensor.Tensor { return x.SumDims([]int{1}, true) }},
		{"Std", func(x, _ *tensor.Tensor) *tensor.Tensor { return x.Std(nil, 1, false) }},
		{"Clamp", func(x, _ *tensor.Tensor) *tensor.Tensor { return x.Clamp(-0.5, 0.5) }},
	}
	cases := []struct {
		xGrad, yGrad, noGrad, want bool
	}{
		{false, false, false, false},
		{true, false, false, true},
		{false, true, false, true}, // only the second input (for the binary ops)
		{true, true, true, false},  // grad mode off (views excepted)
	}
	for _, op := range ops {
		for ci, c := range cases {
			tensor.WithScope(func(*tensor.Scope) {
				tensor.ManualSeed(7)
				x := tensor.Randn([]int64{3, 4}, tensor.Float32, tensor.CPU)
				y := tensor.Randn([]int64{3, 4}, tensor.Float32, tensor.CPU)
				want := op.f(x, y).Float32s() // both inputs plain: the fast path
				xg, yg := x.Clone().SetRequiresGrad(c.xGrad), y.Clone().SetRequiresGrad(c.yGrad)
				var got *tensor.Tensor
				if c.noGrad {
					tensor.NoGrad(func() { got = op.f(xg, yg) })
				} else {
					got = op.f(xg, yg)
				}
				usesY := op.name == "Mul" || op.name == "Matmul"
				wantGrad := c.want && (c.xGrad || usesY)
				switch op.name {
				case "Transpose", "Narrow", "View", "ContiguousNoCopy":
					if c.noGrad {
						// As in PyTorch: a view made under no_grad still requires grad (and
						// Contiguous of a contiguous tensor returns the tensor itself).
						wantGrad = c.xGrad
					}
				}
				assert.Equal(t, wantGrad, got.RequiresGrad(), "%s case %d: RequiresGrad", op.name, ci)
				assert.Equal(t, want, got.Float32s(), "%s case %d: values", op.name, ci)
				if wantGrad && !c.noGrad {
					got.Sum().Backward()
					g := xg
					if !c.xGrad {
						g = yg
					}
					require.NotNil(t, g.Grad(), "%s case %d: gradient", op.name, ci)
					assert.Equal(t, []int64{3, 4}, g.Grad().Shape(), "%s case %d", op.name, ci)
				}
			})
		}
	}
}

// TestViewsKeepAutogradBookkeeping checks that views keep libtorch's full path: a view of a leaf
// that requires grad gets a grad_fn, and gradients flow back through it to the leaf.
func TestViewsKeepAutogradBookkeeping(t *testing.T) {
	tensor.WithScope(func(*tensor.Scope) {
		w := tensor.Ones([]int64{2, 3}, tensor.Float32, tensor.CPU).SetRequiresGrad(true)
		v := w.Transpose(0, 1)
		require.True(t, v.RequiresGrad())
		assert.False(t, v.IsLeaf(), "a view of a leaf that requires grad has a grad_fn")
		v.Exp().Sum().Backward()
		e := math.E
		assert.InDeltaSlice(t, []float64{e, e, e, e, e, e}, w.Grad().Float64s(), 1e-6)
	})
}

// TestScopesBeyondTheSlotTable nests more scopes than the registry's slot table holds (the rest
// go to its overflow map), each owning tensors and one kept from the scope inside it.
func TestScopesBeyondTheSlotTable(t *testing.T) {
	before := tensor.Live()
	const depth, perScope = 600, 40
	scopes := make([]*tensor.Scope, depth)
	made := make([][]*tensor.Tensor, depth)
	for i := range scopes {
		scopes[i] = tensor.NewScope()
		for j := 0; j < perScope; j++ {
			made[i] = append(made[i], tensor.Full([]int64{1}, float64(i), tensor.Float32, tensor.CPU))
		}
	}
	for i := depth - 1; i >= 0; i-- {
		s := scopes[i]
		owned := perScope
		if i < depth-1 {
			owned++ // the tensor scope i+1 kept
		}
		require.Equal(t, owned, s.Len(), "scope %d", i)
		assert.Equal(t, float64(i), made[i][perScope-1].Item())
		if i > 0 {
			s.Keep(made[i][0]) // moves to scope i-1
		}
		s.Close()
		for j, x := range made[i] {
			assert.Equal(t, j != 0 || i == 0, x.Freed(), "scope %d tensor %d", i, j)
		}
	}
	for i := 1; i < depth; i++ {
		assert.True(t, made[i][0].Freed(), "kept tensor of scope %d freed with its new scope", i)
	}
	assert.Equal(t, before, tensor.Live())
}
