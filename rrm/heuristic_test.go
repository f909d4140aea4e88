package rrm_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atomsearcher/atomsearcher/atom"
	"github.com/atomsearcher/atomsearcher/rrm"
)

// TestHeuristicGolden compares with testdata/heuristic_reference.py, an independent Python
// implementation of the documented formulas.
func TestHeuristicGolden(t *testing.T) {
	var cases []struct{ Name, Question, Text string }
	var golden []struct {
		Name   string
		Scores []float64
	}
	for file, dst := range map[string]any{"testdata/heuristic_cases.json": &cases, "testdata/heuristic_golden.json": &golden} {
		b, err := os.ReadFile(file)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, dst))
	}
	require.Len(t, golden, len(cases))
	for i, c := range cases {
		traj := atom.Parse(c.Text, atom.Options{})
		res, err := rrm.Heuristic{}.Score(context.Background(), rrm.Input{Question: c.Question, Trajectory: traj})
		require.NoError(t, err, "case %d", i)
		require.Len(t, res.Scores, len(traj.Thoughts()), "case %d", i)
		assert.InDeltaSlice(t, golden[i].Scores, res.Scores, 1e-9, "case %d (%s)", i, c.Name)
		assert.Len(t, res.Reasons, len(res.Scores))
		assert.Contains(t, res.Raw, `"judge":"heuristic-v2"`)
	}
}

func TestHeuristicCases(t *testing.T) {
	const question = "Who wrote the novel Dune?"
	const response = "<tool_response>\nDune is a 1965 science fiction novel by American author Frank Herbert.\n</tool_response>\n"
	const call = "<tool_call>\n{\"name\": \"web_search\", \"arguments\": {\"query\": [\"Dune novel author\"]}}\n</tool_call>\n"
	cases := []struct {
		name   string
		text   string
		better bool // the first thought scores higher than the second
	}{
		{"plan naming the question beats a drifting plan",
			"<think><PLAN>Find the author who wrote the novel Dune.</PLAN><PLAN>Check football scores and the weather.</PLAN></think>\n" + call + response + "<think><VERIFICATION>Frank Herbert wrote Dune.</VERIFICATION></think><answer>Frank Herbert</answer>", true},
		{"grounded observation beats an invented one",
			"<think><PLAN>Find the author of the novel Dune.</PLAN></think>\n" + call + response + "<think><OBSERVATION>Dune is a 1965 novel by Frank Herbert.</OBSERVATION><OBSERVATION>Dune was written by Isaac Asimov in 1942.</OBSERVATION></think><answer>Frank Herbert</answer>", true},
		{"verification of the answer beats one of another answer",
			"<think><PLAN>Find the author of the novel Dune.</PLAN></think>\n" + call + response + "<think><VERIFICATION>Frank Herbert is the author, as the result says.</VERIFICATION><VERIFICATION>Isaac Asimov is the author.</VERIFICATION></think><answer>Frank Herbert</answer>", true},
		{"a reflection grounded in the response and the question beats an invented one",
			"<think><PLAN>Find the author of the novel Dune.</PLAN></think>\n" + call + response + "<think><REFLECTION>Now I know the novel Dune was written by Frank Herbert. Next I need to find who wrote it first.</REFLECTION><REFLECTION>Isaac Asimov lived on Mars in 1942.</REFLECTION></think><answer>Frank Herbert</answer>", true},
		{"a short action naming its whole query is not halved, one naming another is",
			"<think><ACTION>Search Frank Herbert.</ACTION><ACTION>Search Isaac Asimov.</ACTION></think>\n<tool_call>\n{\"name\": \"web_search\", \"arguments\": {\"query\": [\"Frank Herbert\"]}}\n</tool_call>\n" + response + "<think></think><answer>Frank Herbert</answer>", true},
		{"a repeated thought scores half",
			"<think><PLAN>Find the author of the novel Dune.</PLAN><PLAN>Find the author of the novel Dune.</PLAN></think>\n" + call + response + "<think></think><answer>Frank Herbert</answer>", true},
	}
	for i, tc := range cases {
		traj := atom.Parse(tc.text, atom.Options{})
		res, err := rrm.Heuristic{}.Score(context.Background(), rrm.Input{Question: question, Trajectory: traj})
		require.NoError(t, err, "case %d", i)
		th := traj.Thoughts()
		require.GreaterOrEqual(t, len(th), 2, "case %d", i)
		// the two compared thoughts are the two of the same tag
		a, b := -1, -1
		for k := range th {
			if k > 0 && th[k].Tag == th[k-1].Tag {
				a, b = k-1, k
			}
		}
		require.GreaterOrEqual(t, a, 0, "case %d", i)
		for _, s := range res.Scores {
			assert.True(t, s >= 0 && s <= 1, "case %d: score %v out of [0,1]", i, s)
		}
		assert.Equal(t, tc.better, res.Scores[a] > res.Scores[b], "case %d (%s): %v", i, tc.name, res.Scores)
	}
}

func TestHeuristicInputs(t *testing.T) {
	_, err := rrm.Heuristic{}.Score(context.Background(), rrm.Input{})
	assert.ErrorIs(t, err, rrm.ErrNoTrajectory)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = rrm.Heuristic{}.Score(ctx, nolanInput())
	assert.ErrorIs(t, err, context.Canceled)
	res, err := rrm.Heuristic{}.Score(context.Background(), rrm.Input{Trajectory: atom.Parse("<think>plain</think><answer>x</answer>", atom.Options{})})
	require.NoError(t, err)
	assert.Empty(t, res.Scores)
	// Deterministic.
	a, _ := rrm.Heuristic{}.Score(context.Background(), nolanInput())
	b, _ := rrm.Heuristic{}.Score(context.Background(), nolanInput())
	assert.Equal(t, a, b)
}

// TestHeuristicShortActionNamingItsCall checks that an action naming every word of its tool
// call is not halved for having fewer than 3 content words ("search" is no content word): it
// scores 0.2 + 0.3 (names the call), not half of it.
func TestHeuristicShortActionNamingItsCall(t *testing.T) {
	text := "<think><ACTION>Search Frank Herbert.</ACTION><ACTION>Search Herbert.</ACTION></think>\n" +
		"<tool_call>\n{\"name\": \"web_search\", \"arguments\": {\"query\": [\"Frank Herbert\"]}}\n</tool_call>\n" +
		"<tool_response>\nFrank Herbert wrote Dune.\n</tool_response>\n<think></think><answer>Frank Herbert</answer>"
	traj := atom.Parse(text, atom.Options{})
	res, err := rrm.Heuristic{}.Score(context.Background(), rrm.Input{Question: "Who wrote Dune?", Trajectory: traj})
	require.NoError(t, err)
	require.Len(t, res.Scores, 2)
	assert.InDelta(t, 0.5, res.Scores[0], 1e-12, "names the whole call")
	assert.InDelta(t, (0.2+0.3*0.5)/2, res.Scores[1], 1e-12, "names half of it, one content word: halved")
}
