package train

import (
	"context"
	"fmt"
	"sort"

	"github.com/atomsearcher/atomsearcher/agent"
	"github.com/atomsearcher/atomsearcher/data"
	"github.com/atomsearcher/atomsearcher/reward"
	"github.com/atomsearcher/atomsearcher/rrm"
	"github.com/atomsearcher/atomsearcher/tensor"
)

// EvalResult is an evaluation on held-out questions with greedy decoding.
type EvalResult struct {
	Questions       int     `json:"questions"`
	F1              float64 `json:"f1"`
	EM              float64 `json:"em"`
	FormatErrorRate float64 `json:"format_error_rate"`
	ToolCalls       float64 `json:"tool_calls"`
	// MBE is the LLM answer judge's accuracy, when one is configured (else -1).
	MBE float64 `json:"mbe"`
	// BySource holds F1 and EM per data_source.
	BySource map[string]SourceResult `json:"by_source"`
	// ByType holds F1 and EM per question type (extra_info.type, which the synthetic world's
	// questions carry: "born_city", "director_city", ...); empty when no question has one.
	ByType map[string]SourceResult `json:"by_type,omitempty"`
	// Answers are the predictions, aligned with the questions evaluated.
	Answers []string `json:"-"`
}

// SourceResult is the evaluation of one data source.
type SourceResult struct {
	Questions int     `json:"questions"`
	F1        float64 `json:"f1"`
	EM        float64 `json:"em"`
}

// Evaluate runs the policy greedily (one rollout per question) on questions and scores the
// answers with the outcome reward's F1 and EM (a format error scores 0), per data source, and with
// the answer judge (MBE) when it is not nil.
func (t *Trainer) Evaluate(ctx context.Context, questions []data.Example, judge *rrm.AnswerJudge) (EvalResult, error) {
	res := EvalResult{Questions: len(questions), MBE: -1, BySource: map[string]SourceResult{}, ByType: map[string]SourceResult{}}
	if len(questions) == 0 {
		return res, nil
	}
	texts := make([]string, len(questions))
	for i, q := range questions {
		texts[i] = q.Question
	}
	a := *t.Agent
	a.Config.Sampling.Temperature = 0
	a.Config.Sampling.Seed = 0
	var groups [][]agent.Rollout
	var err error
	tensor.NoGrad(func() { groups, err = a.Run(ctx, texts, 1) })
	if err != nil {
		return res, fmt.Errorf("train: evaluate: %w", err)
	}
	samples := make([]reward.Sample, len(questions))
	for i, g := range groups {
		samples[i] = reward.Sample{Response: g[0].Text, Golds: questions[i].Answers}
		res.ToolCalls += float64(len(g[0].Tools))
	}
	scorer := reward.Scorer{Outcome: t.scorer.Outcome}
	scores, err := scorer.ScoreBatch(ctx, 0, samples)
	if err != nil {
		return res, fmt.Errorf("train: evaluate: %w", err)
	}
	res.Answers = make([]string, len(scores))
	for i, s := range scores {
		res.Answers[i] = s.Answer
		res.F1 += s.F1
		res.EM += s.EM
		if !s.FormatOK {
			res.FormatErrorRate++
		}
		res.BySource[questions[i].DataSource] = res.BySource[questions[i].DataSource].add(s)
		if typ, ok := questions[i].Extra["type"].(string); ok {
			res.ByType[typ] = res.ByType[typ].add(s)
		}
	}
	n := float64(len(questions))
	res.F1 /= n
	res.EM /= n
	res.FormatErrorRate /= n
	res.ToolCalls /= n
	for _, by := range []map[string]SourceResult{res.BySource, res.ByType} {
		for k, r := range by {
			r.F1 /= float64(r.Questions)
			r.EM /= float64(r.Questions)
			by[k] = r
		}
	}
	if judge != nil {
		items := make([]rrm.AnswerInput, len(questions))
		for i, q := range questions {
			items[i] = rrm.AnswerInput{Question: q.Question, Predicted: res.Answers[i], Gold: q.Answers}
		}
		verdicts, err := judge.JudgeBatch(ctx, items, 8)
		if err != nil {
			return res, fmt.Errorf("train: evaluate: answer judge: %w", err)
		}
		correct := 0
		for _, v := range verdicts {
			if v.Correct {
				correct++
			}
		}
		res.MBE = float64(correct) / n
	}
	return res, nil
}

// add counts one scored question into r (sums; Evaluate divides at the end).
func (r SourceResult) add(s reward.Result) SourceResult {
	r.Questions++
	r.F1 += s.F1
	r.EM += s.EM
	return r
}

// sources returns the data sources of r in order.
func (r EvalResult) sources() []string {
	var out []string
	for k := range r.BySource {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
