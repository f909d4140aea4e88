package reward

import (
	"math/bits"
	"strings"

	"github.com/atomsearcher/atomsearcher/atom"
)

// DefaultPenalty is the outcome reward of a trajectory with a format error (DeepResearcher's -1).
const DefaultPenalty = -1.0

// Metric chooses what the outcome reward is.
type Metric uint8

const (
	// MetricF1 rewards token F1 (over sets, or bags with Outcome.Bag).
	MetricF1 Metric = iota
	// MetricEM rewards exact match.
	MetricEM
	// MetricCoverEM rewards the gold occurring in the answer.
	MetricCoverEM
)

// Mode chooses how the answer and the format are read from the response.
type Mode uint8

const (
	// ModeAtom (the default) parses the response with atom.Parse: a format error is any atom
	// error (unbalanced tags, missing answer, bad tool calls), the answer is the first <answer>
	// of the model's own text; tags inside tool responses are ignored.
	ModeAtom Mode = iota
	// ModeDeepResearcherCompat reproduces DeepResearcher's reward function exactly: the whole
	// response is lower-cased (tool responses included); for each of tool_call, think and answer
	// the start and end tags must be equally many and the first end tag must not come before the
	// first start tag; the answer is the first <answer>…</answer> anywhere (shortest match); no
	// answer is a format error. Use it to compare with published numbers.
	ModeDeepResearcherCompat
)

// Outcome configures the outcome reward. The zero value is DeepResearcher's reward on an
// atom-parsed response: F1 over token sets, NormalizeDeepResearcher, penalty -1.
type Outcome struct {
	Metric Metric
	// Bag computes F1 over token bags (SQuAD) instead of sets (DeepResearcher).
	Bag bool
	// Normalize is the answer normalizer; nil means NormalizeDeepResearcher.
	Normalize Normalizer
	// Penalty is the reward of a format error; nil means DefaultPenalty.
	Penalty *float64
	Mode    Mode
	// Atom configures parsing in ModeAtom (allowed tools, required atomic thoughts).
	Atom atom.Options
}

// OutcomeResult is the outcome reward with its components, for logging.
type OutcomeResult struct {
	// Reward is the penalty on a format error, else the chosen metric.
	Reward float64
	// F1 and EM are the best over the golds (0 on a format error).
	F1, EM   float64
	FormatOK bool
	// Answer is the answer text scored ("" on a format error).
	Answer string
	// Problems are atom's errors (ModeAtom) or a single unbalanced_tag / missing_answer
	// (compat mode), empty when FormatOK.
	Problems []atom.Problem
	// Trajectory is the parsed response (ModeAtom only), for ATR.
	Trajectory *atom.Trajectory
}

func (o Outcome) penalty() float64 {
	if o.Penalty == nil {
		return DefaultPenalty
	}
	return *o.Penalty
}

// Score computes the outcome reward of a response against the gold answers (best gold wins).
func (o Outcome) Score(response string, golds []string) OutcomeResult {
	return o.score(response, golds, nil, nil)
}

// ScorePrepared is Score against golds prepared once with PrepareGolds(golds, o.Normalize),
// for the rollouts sharing a question. The golds must have been prepared with o.Normalize.
func (o Outcome) ScorePrepared(response string, golds *PreparedGolds) OutcomeResult {
	return o.score(response, nil, golds, nil)
}

// score scores against golds (scoreOnce), or pg when non-nil, or, with st batching, the golds
// prepared by st's cache (only when the format is OK: a group whose responses all fail
// prepares nothing). With st (Scorer), it parses with st's parser,
// whose memory the result's Trajectory is then valid in until it parses again, and cuts the
// answer and problems from st's blocks; the rest of the result does not depend on st.
func (o *Outcome) score(response string, golds []string, pg *PreparedGolds, st *scoringState) OutcomeResult {
	var res OutcomeResult
	switch o.Mode {
	case ModeDeepResearcherCompat:
		var answer string
		var problem atom.Problem
		answer, problem, res.FormatOK = deepResearcherAnswer(response)
		if res.FormatOK {
			if st != nil {
				res.Answer = strings.TrimSpace(st.answers.lowerPython(answer))
			} else {
				res.Answer = strings.TrimSpace(lowerPython(answer))
			}
		} else if st != nil {
			res.Problems = st.problems.take(1)
			res.Problems[0] = problem
		} else {
			res.Problems = []atom.Problem{problem}
		}
	default:
		var t *atom.Trajectory
		if st != nil {
			t = st.parser.Parse(response, o.Atom)
		} else {
			t = atom.Parse(response, o.Atom)
		}
		res.Trajectory = t
		res.FormatOK = t.OK()
		if res.FormatOK {
			res.Answer = t.Answer().Text
		} else if st != nil {
			res.Problems = st.problems.errors(t.Problems)
		} else {
			res.Problems = t.Errors()
		}
	}
	if !res.FormatOK {
		res.Reward = o.penalty()
		return res
	}
	var need metricSet // the metrics beyond F1Set and EM the result needs
	if o.Bag {
		need |= metricBag
	}
	if o.Metric == MetricCoverEM {
		need |= metricCover
	}
	var scores Scores
	if pg == nil && st != nil && st.batching {
		pg = st.golds.get(golds)
	}
	switch {
	case pg == nil && st != nil: // golds for this response only
		scores = scoreOnce(res.Answer, golds, o.Normalize, &st.once, need)
	case pg == nil:
		sc := oncePool.Get().(*onceScratch)
		scores = scoreOnce(res.Answer, golds, o.Normalize, sc, need)
		oncePool.Put(sc)
	case st != nil:
		var ok bool
		if scores, ok = st.golds.memo.get(pg, need, res.Answer); !ok {
			scores = pg.scores(res.Answer, &st.scores, need)
			st.golds.memo.put(pg, need, res.Answer, scores)
		}
	default:
		sc := scratchPool.Get().(*scoreScratch)
		scores = pg.scores(res.Answer, sc, need)
		sc.release()
		scratchPool.Put(sc)
	}
	res.F1, res.EM = scores.F1Set, scores.EM
	if o.Bag {
		res.F1 = scores.F1Bag
	}
	switch o.Metric {
	case MetricEM:
		res.Reward = res.EM
	case MetricCoverEM:
		res.Reward = scores.CoverEM
	default:
		res.Reward = res.F1
	}
	return res
}

// deepResearcherAnswer applies DeepResearcher's format check to the lower-cased response and
// returns the first answer's inner text as written (lower-casing it gives the text the check's
// lower-cased copy holds there), or the problem and false. The tags are found in place,
// ignoring ASCII case, without building the lower-cased copy: that finds the same tags in the
// same order unless lower-casing makes a new ASCII letter, which only the Kelvin sign (U+212A,
// lower case 'k') does, and 'k' is in no tag but think: compatTag also takes "<thin\u212a>" and
// "</thin\u212a>" for think tags. Lower-casing the answer alone gives the text lower-casing the
// whole response gives there: the context rules of the full case mapping (final sigma) stop at
// the '>' and '<' around it.
func deepResearcherAnswer(response string) (string, atom.Problem, bool) {
	var counts [6]int
	first := [6]int{-1, -1, -1, -1, -1, -1}
	answerEnd := -1
	tag := func(i int) {
		if k := compatTag(response[i:]); k >= 0 {
			if counts[k] == 0 {
				first[k] = i
			}
			counts[k]++
			if k == 5 && answerEnd < 0 && first[4] >= 0 {
				answerEnd = i // the first </answer> after the first <answer>
			}
		}
	}
	// every '<', sixteen bytes at a time
	i := 0
	for ; i+16 <= len(response); i += 16 {
		m0, m1 := byteMask(word(response, i), '<'), byteMask(word(response, i+8), '<')
		if m0|m1 == 0 {
			continue
		}
		for ; m0 != 0; m0 &= m0 - 1 {
			tag(i + bits.TrailingZeros64(m0)/8)
		}
		for ; m1 != 0; m1 &= m1 - 1 {
			tag(i + 8 + bits.TrailingZeros64(m1)/8)
		}
	}
	if i+8 <= len(response) {
		for m := byteMask(word(response, i), '<'); m != 0; m &= m - 1 {
			tag(i + bits.TrailingZeros64(m)/8)
		}
		i += 8
	}
	for ; i < len(response); i++ {
		if response[i] == '<' {
			tag(i)
		}
	}
	for k := 0; k < len(compatTags); k += 2 {
		open, end := k, k+1
		if counts[open] != counts[end] || (first[end] >= 0 && first[end] < first[open]) {
			return "", atom.Problem{Kind: atom.UnbalancedTag, Severity: atom.Error, Offset: max(first[end], 0),
				Tag:    compatTags[open][1 : len(compatTags[open])-1],
				Detail: "start and end tags differ in number or order (DeepResearcher's check)"}, false
		}
	}
	if answerEnd >= 0 {
		return response[first[4]+len("<answer>") : answerEnd], atom.Problem{}, true
	}
	return "", atom.Problem{Kind: atom.MissingAnswer, Severity: atom.Error, Offset: len(response), Tag: "answer",
		Detail: "no <answer>…</answer>"}, false
}
