package rrm_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atomsearcher/atomsearcher/rrm"
)

func TestAnswerJudge(t *testing.T) {
	cases := []struct {
		name        string
		in          rrm.AnswerInput
		reply       string
		wantCorrect bool
		wantCalls   int64
		wantExact   bool
		wantErr     bool
	}{
		{name: "exact after normalization", in: rrm.AnswerInput{Question: "q", Predicted: "The Eiffel Tower!", Gold: []string{"x", "eiffel tower"}},
			wantCorrect: true, wantExact: true},
		{name: "empty prediction", in: rrm.AnswerInput{Question: "q", Predicted: " . ", Gold: []string{"x"}}, wantExact: true},
		{name: "llm says correct", in: rrm.AnswerInput{Question: "q", Predicted: "JFK", Gold: []string{"John F. Kennedy"}},
			reply: `{"rationale": "same person", "judgement": "correct"}`, wantCorrect: true, wantCalls: 1},
		{name: "llm says incorrect in a fence", in: rrm.AnswerInput{Question: "q", Predicted: "Nixon", Gold: []string{"John F. Kennedy"}},
			reply: "```json\n{'rationale': 'different person', 'judgement': 'Incorrect'}\n```", wantCalls: 1},
		{name: "bad judgement", in: rrm.AnswerInput{Question: "q", Predicted: "Nixon", Gold: []string{"Kennedy"}},
			reply: `{"rationale": "hmm", "judgement": "maybe"}`, wantCalls: 1, wantErr: true},
		{name: "not JSON", in: rrm.AnswerInput{Question: "q", Predicted: "Nixon", Gold: []string{"Kennedy"}},
			reply: `correct`, wantCalls: 1, wantErr: true},
		{name: "no gold", in: rrm.AnswerInput{Question: "q", Predicted: "Nixon"}, wantErr: true},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeLLM(t, func(int64, chatRequestBody) reply { return reply{content: tc.reply} })
			judge, err := rrm.NewAnswerJudge(fastClient(f))
			require.NoError(t, err)
			defer judge.Close()
			v, err := judge.Judge(context.Background(), tc.in)
			assert.Equal(t, tc.wantCalls, f.calls.Load(), "case %d", i)
			if tc.wantErr {
				assert.Error(t, err, "case %d", i)
				return
			}
			require.NoError(t, err, "case %d", i)
			assert.Equal(t, tc.wantCorrect, v.Correct, "case %d", i)
			assert.Equal(t, tc.wantExact, v.ExactMatch, "case %d", i)
			if tc.wantCalls > 0 {
				assert.NotEmpty(t, v.Rationale)
				assert.Contains(t, f.last.Load().Messages[1].Content, tc.in.Predicted)
				again, err := judge.Judge(context.Background(), tc.in)
				require.NoError(t, err)
				assert.True(t, again.Cached)
				assert.Equal(t, tc.wantCalls, f.calls.Load(), "case %d: cache hit makes no request", i)
			}
		})
	}
	f := newFakeLLM(t, func(int64, chatRequestBody) reply { return reply{content: `{"rationale":"r","judgement":"correct"}`} })
	judge, err := rrm.NewAnswerJudge(fastClient(f))
	require.NoError(t, err)
	defer judge.Close()
	verdicts, err := judge.JudgeBatch(context.Background(), []rrm.AnswerInput{
		{Question: "q", Predicted: "c", Gold: []string{"b"}}, {Question: "q", Predicted: "b", Gold: []string{"b"}},
	}, 2)
	require.NoError(t, err)
	assert.True(t, verdicts[0].Correct && verdicts[1].Correct && verdicts[1].ExactMatch)
	assert.Equal(t, int64(1), judge.Requests())
	_, err = rrm.NewAnswerJudge(rrm.ClientConfig{})
	assert.Error(t, err)
}

// TestAnswerJudgeExactMatch checks the shortcut's normalization (reward.NormalizeSQuAD): these
// pairs are decided without a request.
func TestAnswerJudgeExactMatch(t *testing.T) {
	cases := []struct{ predicted, gold string }{
		{"The Eiffel Tower.", "eiffel tower"},
		{"  An   apple, a day ", "apple day"},
		{"U.S.A.", "usa"},
		{"Théâtre!", "théâtre"},
		{"ZÜRICH", "zürich"},
	}
	f := newFakeLLM(t, func(int64, chatRequestBody) reply { return reply{content: `{"rationale":"r","judgement":"incorrect"}`} })
	judge, err := rrm.NewAnswerJudge(fastClient(f))
	require.NoError(t, err)
	defer judge.Close()
	for i, tc := range cases {
		v, err := judge.Judge(context.Background(), rrm.AnswerInput{Question: "q", Predicted: tc.predicted, Gold: []string{"other", tc.gold}})
		require.NoError(t, err, "case %d", i)
		assert.True(t, v.Correct && v.ExactMatch, "case %d %q", i, tc.predicted)
	}
	assert.Equal(t, int64(0), f.calls.Load())
	// a near miss goes to the judge
	v, err := judge.Judge(context.Background(), rrm.AnswerInput{Question: "q", Predicted: "Eiffel Towers", Gold: []string{"eiffel tower"}})
	require.NoError(t, err)
	assert.False(t, v.Correct || v.ExactMatch)
	assert.Equal(t, int64(1), f.calls.Load())
}

func TestExtractJSON(t *testing.T) {
	cases := []struct {
		in      string
		want    any
		wantErr bool
	}{
		{in: `{"a": 1}`, want: map[string]any{"a": 1.0}},
		{in: "prose {\"a\": [1, 2,]} more prose }", want: map[string]any{"a": []any{1.0, 2.0}}},
		{in: "```\n{'a': 'it\\'s', 'b': True, 'c': None}\n```", want: map[string]any{"a": "it's", "b": true, "c": nil}},
		{in: `{"a": "brace } in string"}`, want: map[string]any{"a": "brace } in string"}},
		{in: "reasoning</think>[1, 2]", want: []any{1.0, 2.0}},
		{in: "<think>{\"draft\": 0}</think> final: {\"a\": 1}", want: map[string]any{"a": 1.0}},
		{in: "no json here", wantErr: true},
		{in: `{"a": 1`, wantErr: true},
		{in: `{"a": }`, wantErr: true},
	}
	for i, tc := range cases {
		got, err := rrm.ExtractJSON(tc.in)
		if tc.wantErr {
			assert.Error(t, err, "case %d", i)
			continue
		}
		require.NoError(t, err, "case %d", i)
		assert.Equal(t, tc.want, got, "case %d", i)
	}
}
