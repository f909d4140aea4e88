package rrm

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"text/template"

	"github.com/atomsearcher/atomsearcher/reward"
)

//go:embed answer_prompt.tmpl
var answerPromptText string

// AnswerPromptVersion names the shipped answer-judge prompt (part of the cache key).
const AnswerPromptVersion = "atomsearcher-mbe-v1"

var answerPrompt = template.Must(template.New("mbe").Option("missingkey=error").Parse(answerPromptText))

// Verdict is an AnswerJudge decision.
type Verdict struct {
	Correct   bool
	Rationale string
	// Raw is the judge's reply ("" when no call was made).
	Raw string
	// ExactMatch reports that a normalized exact match decided without a call.
	ExactMatch bool
	// Cached reports that the reply came from the cache.
	Cached bool
}

// AnswerInput is one answer to judge.
type AnswerInput struct {
	Question  string
	Predicted string
	Gold      []string
}

// AnswerJudge is the papers' model-based evaluation ("MBE"): an LLM decides whether a predicted
// answer is semantically equal to one of the gold answers, replying {rationale, judgement:
// correct|incorrect}. A prediction equal to a gold answer after SQuAD's normalization
// ([reward.NormalizeSQuAD]: lower case, ASCII punctuation and the articles a, an, the removed,
// white space collapsed) is correct without a call; an empty prediction is incorrect without a
// call. It shares LLMJudge's client machinery (retries, rate limit, cache) and is safe for
// concurrent use.
type AnswerJudge struct {
	client *chatClient
}

// NewAnswerJudge builds an AnswerJudge (Client.MaxTokens defaults to 1024 here).
func NewAnswerJudge(cfg ClientConfig) (*AnswerJudge, error) {
	client, err := newChatClient(cfg, 1024)
	if err != nil {
		return nil, err
	}
	return &AnswerJudge{client: client}, nil
}

// Judge decides one answer. A reply without a readable judgement is an *OutputError.
func (j *AnswerJudge) Judge(ctx context.Context, in AnswerInput) (Verdict, error) {
	if len(in.Gold) == 0 {
		return Verdict{}, errors.New("rrm: answer judge needs at least one gold answer")
	}
	predicted := reward.NormalizeSQuAD(in.Predicted)
	if predicted == "" {
		return Verdict{Rationale: "empty prediction", ExactMatch: true}, nil
	}
	for _, g := range in.Gold {
		if reward.NormalizeSQuAD(g) == predicted {
			return Verdict{Correct: true, Rationale: "normalized exact match with " + fmt.Sprintf("%q", g), ExactMatch: true}, nil
		}
	}
	var b strings.Builder
	req := chatRequest{format: FormatJSONObject}
	if err := answerPrompt.ExecuteTemplate(&b, "system", in); err != nil {
		return Verdict{}, fmt.Errorf("rrm: rendering answer prompt: %w", err)
	}
	req.system = strings.TrimSpace(b.String())
	b.Reset()
	if err := answerPrompt.ExecuteTemplate(&b, "user", in); err != nil {
		return Verdict{}, fmt.Errorf("rrm: rendering answer prompt: %w", err)
	}
	req.user = strings.TrimSpace(b.String())
	key := j.client.cacheKey("mbe", AnswerPromptVersion, req)
	if raw, ok, err := j.client.lookup(key); err != nil {
		return Verdict{}, err
	} else if ok {
		if v, err := readVerdict(raw); err == nil {
			v.Cached = true
			return v, nil
		}
	}
	raw, err := j.client.complete(ctx, req)
	if err != nil {
		return Verdict{}, err
	}
	v, err := readVerdict(raw)
	if err != nil {
		return Verdict{Raw: raw}, err
	}
	return v, j.client.store(key, raw)
}

// JudgeBatch decides every answer with at most concurrency calls in flight; errors as in
// ScoreBatch.
func (j *AnswerJudge) JudgeBatch(ctx context.Context, inputs []AnswerInput, concurrency int) ([]Verdict, error) {
	return runBatch(ctx, inputs, concurrency, j.Judge)
}

// Requests returns the number of chat-completion requests sent.
func (j *AnswerJudge) Requests() int64 { return j.client.requests.Load() }

// Close releases the judge's cache file, if any.
func (j *AnswerJudge) Close() error { return j.client.close() }

// readVerdict reads {rationale, judgement} from a reply.
func readVerdict(raw string) (Verdict, error) {
	v, err := ExtractJSON(raw)
	if err != nil {
		return Verdict{}, &OutputError{Raw: raw, Err: err}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return Verdict{}, &OutputError{Raw: raw, Err: errors.New("reply is not a JSON object")}
	}
	judgement, _ := obj["judgement"].(string)
	if judgement == "" {
		judgement, _ = obj["judgment"].(string)
	}
	verdict := Verdict{Raw: raw}
	verdict.Rationale, _ = obj["rationale"].(string)
	switch strings.ToLower(strings.TrimSpace(judgement)) {
	case "correct", "true", "yes":
		verdict.Correct = true
	case "incorrect", "false", "no", "wrong":
	default:
		return Verdict{}, &OutputError{Raw: raw, Err: fmt.Errorf("judgement %q is neither correct nor incorrect", judgement)}
	}
	return verdict, nil
}
