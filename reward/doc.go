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
// (PrepareGolds; ScoreBatch shares them between the rollouts of a question); one-off scoring
// (Scorer.Score, Outcome.Score, ScoreAll) tokenizes the prediction and looks each gold's tokens
// up in it instead.
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
// single-threaded, in CPU time, alternating rounds, best of five (bench/results/reward.txt; the
// 2-core machine was shared, load averages 1 to 4, and its speed moved by a third from minute to
// minute): ModeDeepResearcherCompat is about 17-18x the Python function per sample (Scorer.Score,
// golds tokenized on every call as Python does) and 29x in a batch (ScoreBatchInto, golds
// prepared once per question); ModeAtom, which also parses and validates the whole trajectory
// (tool calls' JSON included), about 15-16x and 24-26x. The 30x the project aimed at for the
// batch figures was not reached in CPU time by either mode (compat came within 3%).
//
// What it takes: a scoring goroutine keeps a Parser (with SkipArgs, and SkipThoughts when the
// sample has no thought scores), token scratch, and blocks that results' answers and problems
// are cut from, so a result allocates nothing of its own. Golds are interned in a table whose
// slots hold the token hash (a word at a time, ignoring ASCII case) with postings from each
// token to the golds holding it: a prediction is tokenized and hashed in one pass (ASCII text)
// and visits only the golds it shares a token with; the best F1 is chosen by comparing fractions
// in integers, so only its float is computed. The compat check finds '<' eight bytes at a time
// and matches tags as words, and lower-cases the answer alone (ASCII a word at a time). The
// golds cache of a batch compares a sample's golds with the last sample's (same slice, else same
// text) before looking the slice up by address.
//
// ScoreBatch runs at most Concurrency (default GOMAXPROCS) workers, each claiming blocks of
// consecutive samples (8 per worker, or one per 256 samples if fewer) with its own golds cache and
// scoring state, so nothing is shared but an atomic block counter; it looks at the context every
// 64 samples. On the 2-core development machine, when its second core was free (a
// pure-arithmetic control, BenchmarkCPUControl, ran 1.9x as fast at GOMAXPROCS=2), a 100k batch
// ran 1.8x as fast at GOMAXPROCS=2 as at 1 in both modes; when other sessions took the second
// core (the control at 0.94x), it gained nothing.
package reward
