package reward

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/atomsearcher/atomsearcher/atom"
)

// Sample is one trajectory to score.
type Sample struct {
	Response string
	Golds    []string
	// ThoughtScores are the RRM's scores of the response's atomic thoughts, in order; nil when
	// there is no RRM (then R_atom is ATR.Empty for the mix, and Result.HasAtom is false).
	ThoughtScores []float64
}

// Result carries every component of a sample's reward, for logging.
type Result struct {
	// Reward is the final reward R.
	Reward float64 `json:"reward"`
	// Outcome is the outcome reward (the penalty on a format error).
	Outcome  float64        `json:"outcome"`
	F1       float64        `json:"f1"`
	EM       float64        `json:"em"`
	FormatOK bool           `json:"format_ok"`
	Answer   string         `json:"answer"`
	Problems []atom.Problem `json:"-"`
	// RAtom is the aggregated atomic thought reward; Alpha the schedule's weight of it.
	RAtom   float64 `json:"r_atom"`
	Alpha   float64 `json:"alpha"`
	HasAtom bool    `json:"has_atom"`
}

// Scorer scores batches: outcome reward, ATR and the hybrid mix. Without a Hybrid.Scheduler
// the reward is the outcome reward alone (alpha 0).
type Scorer struct {
	Outcome Outcome
	ATR     ATR
	Hybrid  Hybrid
	// Concurrency bounds the goroutines scoring at once; 0 means GOMAXPROCS.
	Concurrency int
}

// statePool holds scoring states between uses: one-off scoring (Scorer.Score) and the workers
// of batches, so that a training loop scoring a batch per step reuses their memory (parser,
// prepared golds, scratch) from step to step.
var statePool = sync.Pool{New: func() any { return newScoringState() }}

// getState returns a pooled scoring state, its golds cache emptied for the normalizer norm.
// Batches (batching) prepare each question's golds once in the cache, one-off scoring for the
// sample alone.
func getState(norm Normalizer, batching bool) *scoringState {
	st := statePool.Get().(*scoringState)
	st.golds.reset(norm)
	st.batching = batching
	return st
}

// putState returns st to the pool, keeping no reference to the texts it scored.
func putState(st *scoringState) {
	st.parser.Reset()
	st.scores.release()
	st.golds.reset(nil)
	statePool.Put(st)
}

// Score scores one sample at a training step.
func (s Scorer) Score(step int, in Sample) (Result, error) {
	st := getState(nil, false)
	defer putState(st)
	var res Result
	err := s.score(&res, step, &in, nil, st)
	return res, err
}

// score scores one sample into res against golds (when nil: prepared by st's golds cache when
// st is batching, else for this sample only; only if the format is OK), with st's parser and
// blocks; nothing in the result refers to st's parser.
func (s *Scorer) score(res *Result, step int, in *Sample, golds *PreparedGolds, st *scoringState) error {
	st.parser.SkipThoughts = in.ThoughtScores == nil // ATR needs the thoughts, the outcome does not
	out := s.Outcome.score(in.Response, in.Golds, golds, st)
	*res = Result{Reward: out.Reward, Outcome: out.Reward, F1: out.F1, EM: out.EM, FormatOK: out.FormatOK,
		Answer: out.Answer, Problems: out.Problems}
	rAtom := s.ATR.Empty
	if in.ThoughtScores != nil {
		t := out.Trajectory
		if t == nil {
			t = st.parser.Parse(in.Response, s.Outcome.Atom)
		}
		var err error
		if rAtom, err = s.ATR.Score(in.ThoughtScores, ThoughtTags(t)); err != nil {
			*res = Result{}
			return err
		}
		res.HasAtom = true
	}
	res.RAtom = rAtom
	if s.Hybrid.Scheduler == nil {
		if step < 0 {
			*res = Result{}
			return fmt.Errorf("%w: negative step %d", ErrSchedule, step)
		}
		return nil
	}
	r, alpha, err := s.Hybrid.Reward(step, rAtom, out)
	if err != nil {
		*res = Result{}
		return err
	}
	res.Reward, res.Alpha = r, alpha
	return nil
}

// goldsKey identifies a golds slice by its first element's address and length.
type goldsKey struct {
	first *string
	n     int
}

// goldsCache prepares each distinct golds once for one worker of a batch: samples sharing a
// golds slice, or following a sample with equal golds (the rollouts of a question), share a
// PreparedGolds. The cache is emptied at the start of each batch (reset), since a slice's
// address identifies it only while the batch's samples keep it alive, and its PreparedGolds
// are then reused, memory and all: nothing outside the cache refers to them.
type goldsCache struct {
	norm   Normalizer
	last   []string
	lastPG *PreparedGolds
	byAddr map[goldsKey]*PreparedGolds
	// used are the PreparedGolds handed out since the last reset, free those to reuse
	used, free []*PreparedGolds
	// memo holds the scores of the last answers scored against one of them
	memo answerMemo
	// scratch is the working memory of prepare
	scratch prepareScratch
}

// reset empties the cache for a batch scored with the normalizer norm.
func (c *goldsCache) reset(norm Normalizer) {
	c.norm, c.last, c.lastPG = norm, nil, nil
	c.memo.release() // its PreparedGolds are about to be reused for other golds
	clear(c.byAddr)
	c.free = append(c.free, c.used...)
	clear(c.used)
	c.used = c.used[:0]
}

func (c *goldsCache) get(golds []string) *PreparedGolds {
	if c.lastPG != nil && (sameSlice(golds, c.last) || slices.Equal(c.last, golds)) {
		// the same slice (the rollouts of a question built from one split) or equal golds (the
		// next rollout of the question)
		c.last = golds
		return c.lastPG
	}
	var key goldsKey
	if len(golds) > 0 {
		key = goldsKey{&golds[0], len(golds)}
		if pg, ok := c.byAddr[key]; ok {
			c.last, c.lastPG = golds, pg
			return pg
		}
	}
	var pg *PreparedGolds
	if n := len(c.free); n > 0 {
		pg, c.free[n-1], c.free = c.free[n-1], nil, c.free[:n-1]
	} else {
		pg = new(PreparedGolds)
	}
	pg.prepare(golds, c.norm, &c.scratch)
	c.used = append(c.used, pg)
	if key.first != nil {
		if c.byAddr == nil {
			c.byAddr = map[goldsKey]*PreparedGolds{}
		}
		c.byAddr[key] = pg
	}
	c.last, c.lastPG = golds, pg
	return pg
}

// Batches are cut into blocks of consecutive samples, blocksPerWorker per worker or one per
// minBlock samples when that is fewer, which the workers claim in turn: scoring a sample takes about a
// microsecond, so the work items must be coarse, and several per worker let a worker that
// got more CPU (the machine is shared) take over the blocks of one that got less.
const (
	blocksPerWorker = 8
	minBlock        = 256
	// ctxEvery is how many samples a worker scores between looks at the context.
	ctxEvery = 64
)

// blockEdge moves the block boundary k forward to where the next question's rollouts start
// (the golds slice changes), looking at most maxGroup samples ahead, so that a question's
// golds are prepared by one worker: neighbouring blocks compute the same edge.
func blockEdge(samples []Sample, k int) int {
	if k <= 0 || k >= len(samples) {
		return k
	}
	for i := k; i < len(samples) && i < k+maxGroup; i++ {
		if !sameSlice(samples[i].Golds, samples[i-1].Golds) {
			return i
		}
	}
	return k
}

// maxGroup bounds how far blockEdge looks for the start of a question's rollouts.
const maxGroup = 64

// sameSlice reports whether a and b are the same slice (same first element and length).
func sameSlice(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// ScoreBatch scores samples (a GRPO group or a whole step's rollouts) concurrently, with at most
// Concurrency goroutines, and returns the results in order. Samples with the same golds (the
// rollouts of one question) share one PreparedGolds within a block of consecutive samples. The
// first error (a bad sample, a bad step, ctx done) stops the batch; it names the sample.
func (s Scorer) ScoreBatch(ctx context.Context, step int, samples []Sample) ([]Result, error) {
	out := make([]Result, len(samples))
	if err := s.ScoreBatchInto(ctx, step, samples, out); err != nil {
		return nil, err
	}
	return out, nil
}

// ScoreBatchInto is ScoreBatch writing the results into out[:len(samples)], for a caller that
// keeps one results slice from step to step; out must have room for them. After an error the
// results in out are incomplete.
func (s Scorer) ScoreBatchInto(ctx context.Context, step int, samples []Sample, out []Result) error {
	if len(out) < len(samples) {
		return fmt.Errorf("reward: ScoreBatchInto: %d results for %d samples", len(out), len(samples))
	}
	out = out[:len(samples)]
	workers := s.Concurrency
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	blocks := min(workers*blocksPerWorker, (len(samples)+minBlock-1)/minBlock)
	workers = min(workers, blocks)
	if workers <= 1 {
		st := getState(s.Outcome.Normalize, true)
		defer putState(st)
		return s.scoreRange(ctx, step, samples, out, 0, len(samples), st)
	}
	g, ctx := errgroup.WithContext(ctx)
	var next atomic.Int64
	for range workers {
		g.Go(func() error {
			st := getState(s.Outcome.Normalize, true)
			defer putState(st)
			for {
				b := int(next.Add(1) - 1)
				if b >= blocks {
					return nil
				}
				start, end := blockEdge(samples, b*len(samples)/blocks), blockEdge(samples, (b+1)*len(samples)/blocks)
				if err := s.scoreRange(ctx, step, samples, out, start, end, st); err != nil {
					return err
				}
			}
		})
	}
	return g.Wait()
}

// scoreRange scores samples[start:end] into out[start:end] with st.
func (s *Scorer) scoreRange(ctx context.Context, step int, samples []Sample, out []Result, start, end int,
	st *scoringState) error {
	for i := start; i < end; i++ {
		if (i-start)%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		in := &samples[i]
		if err := s.score(&out[i], step, in, nil, st); err != nil {
			return fmt.Errorf("reward: sample %d: %w", i, err)
		}
	}
	return nil
}
