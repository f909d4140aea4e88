package tensor

/*
#include "fused_logprob.h"
*/
import "C"

// FusedLogProbOptions tunes FusedLogProbs. The zero value is temperature 1, an automatic tiling
// and no entropy.
type FusedLogProbOptions struct {
	// Chunk is the number of rows (tokens) of one tile of logits. With VocabChunk 0 a tile is
	// Chunk whole rows ([Chunk, V]); with both 0 the tiling is automatic (see FusedLogProbs).
	Chunk int
	// VocabChunk is the number of vocabulary entries (columns) of one tile; 0 means the whole
	// vocabulary when Chunk is set, else automatic. With only VocabChunk set, Chunk is the rows
	// that fit FusedTileBytes.
	VocabChunk int
	// Temperature divides the logits (as the sampler did); 0 means 1.
	Temperature float64
	// Entropy asks for the per-token entropy of the same distribution as well (a second tile
	// buffer; the entropy is not differentiable).
	Entropy bool
}

// FusedTileBytes is the size of the buffer of logits an automatic tiling of FusedLogProbs aims at
// (128 MiB: [4096, 8192] float32). It was measured, not guessed: for N=4096, V=151936, H=896 on 2
// cores, forward+backward took 43 s of CPU time with this tile, the same with 256 MiB tiles, and
// 51-53 s with 16-32 MiB tiles (which fit the cache but make smaller products); the earlier path,
// 64 MiB chunks of 110 whole rows, took about twice the wall time of this one. The buffer adds to the peak memory of every
// call (the [V, H] weight gradient is the larger part: 519 MiB there); with the Entropy option the
// budget is shared by two buffers.
const FusedTileBytes = 128 << 20

// fusedMaxRows bounds the rows of an automatic tile, so that the vocabulary block stays wide
// enough for efficient products (FusedTileBytes / (4 * 4096) = 8192 float32 columns).
const fusedMaxRows = 4096

// fusedTiling returns the rows and columns of one tile of the [n, v] logits for opts, whose
// elements take elem bytes.
func fusedTiling(n, v, elem int64, opts FusedLogProbOptions) (rows, cols int64) {
	v = max(v, 1)
	budget := int64(FusedTileBytes)
	if opts.Entropy {
		budget /= 2
	}
	switch {
	case opts.Chunk > 0 && opts.VocabChunk > 0:
		return int64(opts.Chunk), min(int64(opts.VocabChunk), v)
	case opts.Chunk > 0:
		return int64(opts.Chunk), v
	case opts.VocabChunk > 0:
		cols = min(int64(opts.VocabChunk), v)
		return max(1, budget/(elem*cols)), cols
	}
	rows = max(1, min(n, fusedMaxRows))
	cols = budget / (elem * rows)
	if cols >= v {
		// The whole vocabulary fits: take as many whole rows as the budget holds.
		return max(rows, min(n, budget/(elem*v))), v
	}
	// Whole cache lines and vector widths per block row.
	return rows, max(64, cols/64*64)
}

// FusedLogProbs returns the per-token log-probabilities
//
//	logp[n] = log_softmax(hidden[n] @ weightᵀ / temperature)[targets[n]]
//
// for hidden [N, H], an lm_head weight [V, H] and targets [N] (int64 ids in [0, V)), without ever
// holding the [N, V] logits: they are made one tile of [rows, cols] at a time in one reused buffer,
// the log-sum-exp of a row being combined across its vocabulary blocks online, and the backward
// pass (a custom autograd function in the shim) recomputes each tile instead of saving it. The
// gradients with respect to hidden and weight are exact: per tile the backward makes
// softmax - onehot(target) in place and multiplies it into both gradients, with the upstream
// gradient and 1/temperature folded into the [N, H] operands.
//
// The automatic tiling (opts.Chunk and opts.VocabChunk 0) takes up to 4096 rows and as many
// vocabulary columns as fit FusedTileBytes (all of them when they fit), so the extra memory is one
// 128 MiB buffer (plus [N, H] and [N] vectors) while the products stay large: with N=4096 and
// V=151936 a tile is [4096, 8192]. Smaller tiles save memory and cost time (a product of 110 rows
// runs at about a third of the speed of one of 1000 here); the weight gradient, [V, H] like the
// weight, is the larger part of the peak anyway. The backward pass costs three products per tile
// (the recomputed logits and the two gradients), so forward+backward is four products against the
// three of log_softmax-then-gather, which in exchange streams several [N, V] tensors through
// memory. With opts.Entropy, entropy [N] is the per-token entropy
// (else nil). Results are float32 (float64 for float64 inputs); the softmax of half and bfloat16
// inputs is taken in float32.
//
// Shape, dtype and range errors panic with a *Error, like every op.
func FusedLogProbs(hidden, weight, targets *Tensor, opts FusedLogProbOptions) (logp, entropy *Tensor) {
	const op = "FusedLogProbs"
	if opts.Chunk < 0 || opts.VocabChunk < 0 {
		fail(op, "negative chunk %d or vocabulary chunk %d", opts.Chunk, opts.VocabChunk)
	}
	temp := opts.Temperature
	if temp == 0 {
		temp = 1
	}
	if !(temp > 0) {
		fail(op, "temperature %v must be positive", opts.Temperature)
	}
	elem := int64(4)
	if hidden.DType() == Float64 {
		elem = 8
	}
	rows, cols := fusedTiling(hidden.Size(0), weight.Size(0), elem, opts)
	withEntropy := C.int(0)
	if opts.Entropy {
		withEntropy = 1
	}
	var ent C.ats_tensor
	var cerr *C.char
	h := C.ats_fused_logprob(hidden.handle(op), weight.handle(op), targets.handle(op), C.int64_t(rows),
		C.int64_t(cols), C.double(1/temp), withEntropy, &ent, &cerr)
	logp = result(op, h, cerr)
	if ent != nil {
		entropy = wrap(ent)
	}
	return logp, entropy
}
