// Package reward computes the rewards of agentic deep-research RL: the outcome reward
// (answer F1 / EM with a format penalty), the atomic thought reward (ATR) aggregated from a
// reasoning reward model's per-thought scores, and Atom-Searcher's curriculum-scheduled hybrid
//
//	R = alpha(step) * R_atom + (1 - alpha(step)) * R_outcome,   alpha = 0.5 * (1 - T/T_max).
//
// # The model
//
// An answer is compared with each gold answer (a list, or one string joined by
// <|answer_split|>; the best gold wins) after a Normalizer: NormalizeDeepResearcher (lower case,
// ASCII punctuation to spaces, white space collapsed) or NormalizeSQuAD (also drops punctuation
// and the articles a/an/the). Metrics: F1Set (DeepResearcher: token sets), F1Bag (SQuAD,
// HotpotQA: token multisets), EM, CoverEM; an empty prediction or gold scores 0. Outcome turns a
// response into a reward: a format error gives the penalty (-1 by default), else the metric. In
// the default ModeAtom the response is read with atom.Parse (tags inside tool responses are
// never the model's); ModeDeepResearcherCompat reproduces DeepResearcher's function bit for bit
// (whole response lower-cased, tag balance over the raw text, first <answer> anywhere) so
// published numbers can be compared. ATR aggregates per-thought scores — plain float64s aligned
// with atom.Trajectory.Thoughts(), so this package does not import rrm — by mean, min, weight per
// tag or a function. Hybrid mixes the two with a Scheduler (LinearDecay, Constant, Cosine, Step,
// Piecewise, Func); a format error keeps the penalty whatever R_atom is. Scorer does all of it
// for a batch, concurrently, and returns every component for logging.
//
// Lower-casing follows Python's str.lower (full case mapping: 'İ' and the final sigma), so the
// normalizers agree with the Python anchors on any text. Golds are tokenized once per question
// (PrepareGolds; ScoreBatch shares them between the rollouts of a question).
//
// Golden values come from testdata/reference.py (DeepResearcher's reward and SQuAD's official
// F1/EM in Python) over the real DeepResearcher dev set; Go matches them exactly.
//
// # Example
//
// The three calls of a training step:
//
//	out := reward.Outcome{}.Score(response, reward.SplitGolds(groundTruth))
//	rAtom, err := reward.ATR{}.Score(thoughtScores, reward.ThoughtTags(out.Trajectory))
//	r, alpha, err := reward.Hybrid{Scheduler: reward.LinearDecay{Start: 0.5, TotalSteps: T}}.Reward(step, rAtom, out)
//
// or, for a whole batch, Scorer.ScoreBatch. The package needs no cgo.
//
// # Performance
//
// bench/reward.sh scores 100k responses against DeepResearcher's Python reward function, both
// single-threaded, in CPU time, alternating rounds (bench/results/reward.txt; the 2-core machine
// was shared, load averages 7 to 9): ModeDeepResearcherCompat is about 17x the Python function
// per sample (Scorer.Score, golds prepared on every call as Python does) and 23-25x in a batch
// (ScoreBatch, golds prepared once per question); ModeAtom, which also parses and validates the
// whole trajectory (with a reused atom.Parser), about 14x and 19x. Tokenizing splits the text in
// place (lower-casing only the tokens with a non-ASCII capital), golds are interned once per
// question, and the compat check finds the tags without lower-casing the response.
//
// ScoreBatch runs at most Concurrency (default GOMAXPROCS) workers, each claiming blocks of
// consecutive samples (8 per worker, or one per 256 samples if fewer) with its own golds cache and
// parser, so nothing is shared but an atomic block counter; it looks at the context every 64
// samples. The development machine could not show the scaling: with other sessions busy (load
// averages 7 to 9 on 2 cores) its scheduler (autogroup fair share) gave the benchmark about half
// a core whatever its thread count; at GOMAXPROCS=2 a pure-arithmetic control
// (BenchmarkCPUControl) ran 0.95-0.97x as fast as at 1, ScoreBatch 1.05-1.33x.
package reward
