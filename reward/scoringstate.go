package reward

import (
	"unicode/utf8"
	"unsafe"

	"github.com/atomsearcher/atomsearcher/atom"
)

// scoringState is what one goroutine keeps from response to response while scoring: the
// parser, the golds cache (batches), and the blocks that results' answers and problems are cut
// from, so a result costs no allocation of its own.
type scoringState struct {
	parser   atom.Parser
	golds    goldsCache
	answers  stringBlock
	problems problemBlock
	scores   scoreScratch
	once     onceScratch
	// batching: samples without prepared golds are scored against golds prepared by the
	// cache (batches), not for themselves alone (one-off scoring)
	batching bool
}

// newScoringState returns a new scoring state. Its parser skips building tool calls' Args,
// which scoring never reads (and Scorer.score has it skip the thoughts of a sample without
// thought scores).
func newScoringState() *scoringState {
	return &scoringState{parser: atom.Parser{SkipArgs: true}}
}

// stringBlock hands out strings written into a shared block: a block's bytes never change once
// a string is cut from them (strings are only appended after them, and a full block is left to
// the strings cut from it), so the strings stay valid.
type stringBlock struct {
	b []byte
}

// stringBlockSize is the size of a stringBlock's blocks.
const stringBlockSize = 8 << 10

// lowerPython returns lowerPython(s): s itself when lower-casing changes nothing, else the
// lower-cased text written into the block.
func (sb *stringBlock) lowerPython(s string) string {
	i := 0
	for i < len(s) {
		if s[i] < utf8.RuneSelf {
			j := i + asciiLowerPrefix(s[i:])
			if j < len(s) && s[j] < utf8.RuneSelf {
				i = j // a capital
				break
			}
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !lowerItself(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	if cap(sb.b)-len(sb.b) < len(s)+utf8.UTFMax {
		sb.b = make([]byte, 0, max(stringBlockSize, 2*len(s)))
	}
	start := len(sb.b)
	low, ok := appendLowerSimple(append(sb.b, s[:i]...), s[i:])
	if !ok {
		return lowerPython(s) // 'İ' or 'Σ' (what was appended is past sb.b's length: unused)
	}
	// low is sb.b's block, or a new one when lower-casing grew the text past the block's room
	sb.b = low
	return unsafe.String(&low[start], len(low)-start)
}

// problemBlock hands out problem slices cut from a shared block (capacity-limited, so an append
// to one moves it out of the block).
type problemBlock struct {
	free []atom.Problem
}

// problemBlockSize is the number of problems in a problemBlock's blocks.
const problemBlockSize = 64

// take returns a slice of n problems cut from the block.
func (pb *problemBlock) take(n int) []atom.Problem {
	if cap(pb.free)-len(pb.free) < n {
		pb.free = make([]atom.Problem, 0, max(problemBlockSize, n))
	}
	k := len(pb.free)
	pb.free = pb.free[:k+n]
	return pb.free[k : k+n : k+n]
}

// errors returns a copy of the problems of severity Error in ps.
func (pb *problemBlock) errors(ps []atom.Problem) []atom.Problem {
	n := 0
	for i := range ps {
		if ps[i].Severity == atom.Error {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := pb.take(n)
	n = 0
	for i := range ps {
		if ps[i].Severity == atom.Error {
			out[n] = ps[i]
			n++
		}
	}
	return out
}
