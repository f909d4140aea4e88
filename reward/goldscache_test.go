package reward

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGoldsCacheReuse checks that a batching state prepares a question's golds only for a
// response whose format is OK, once per slice, and that prepared golds reused after a reset
// (another batch, other golds) score like freshly prepared ones.
func TestGoldsCacheReuse(t *testing.T) {
	o := Outcome{Mode: ModeDeepResearcherCompat}
	st := getState(nil, true)
	defer putState(st)

	paris, rome := []string{"Paris", "the city of Paris"}, []string{"Rome"}
	bad := "<think>no answer</think>"
	require.False(t, o.score(bad, paris, nil, st).FormatOK)
	assert.Empty(t, st.golds.used, "a response with a format error prepared golds")

	for _, tc := range []struct {
		response string
		golds    []string
		prepared int // PreparedGolds handed out in the batch so far
	}{
		{"<answer>Paris</answer>", paris, 1},
		{"<answer>city of paris</answer>", paris, 1},
		{"<answer>Rome</answer>", rome, 2},
		{"<answer>paris</answer>", paris, 2}, // found by the slice's address
	} {
		got := o.score(tc.response, tc.golds, nil, st)
		want := o.Score(tc.response, tc.golds)
		assert.Equal(t, want.Reward, got.Reward, tc.response)
		assert.Len(t, st.golds.used, tc.prepared, tc.response)
	}

	st.golds.reset(nil) // the next batch reuses both PreparedGolds
	require.Len(t, st.golds.free, 2)
	for _, tc := range []struct {
		response string
		golds    []string
	}{
		{"<answer>Berlin, Germany</answer>", []string{"Berlin", "capital of Germany"}},
		{"<answer>Madrid</answer>", []string{"Spain's capital Madrid", "Madrid"}},
		{"<answer>Lisbon</answer>", []string{"Lisboa"}},
	} {
		got := o.score(tc.response, tc.golds, nil, st)
		want := o.ScorePrepared(tc.response, PrepareGolds(tc.golds, nil))
		assert.Equal(t, want.Reward, got.Reward, tc.response)
		assert.Equal(t, want.EM, got.EM, tc.response)
	}
	assert.Empty(t, st.golds.free)
	assert.Len(t, st.golds.used, 3)
}

// TestBlockEdge checks that block boundaries move to the start of the next question's
// rollouts (a new golds slice), at most maxGroup samples ahead.
func TestBlockEdge(t *testing.T) {
	a, b := []string{"a"}, []string{"b"}
	group := func(golds []string, n int) []Sample {
		out := make([]Sample, n)
		for i := range out {
			out[i].Golds = golds
		}
		return out
	}
	samples := append(append(group(a, 10), group(b, 10)...), group(a, maxGroup+10)...)
	for _, tc := range []struct {
		k, want int
	}{
		{0, 0}, {len(samples), len(samples)}, {-1, -1},
		{5, 10},  // inside the first group: moved to the second's start
		{10, 10}, // a group's start already
		{15, 20},
		{21, 21}, // the third group is longer than maxGroup from here: left where it is
	} {
		assert.Equal(t, tc.want, blockEdge(samples, tc.k), "k=%d", tc.k)
	}
}

// TestScoreBatchGroups checks that concurrent batches of question groups (samples sharing a
// golds slice) give the results of scoring each sample alone, at every concurrency.
func TestScoreBatchGroups(t *testing.T) {
	var samples []Sample
	answers := []string{"<answer>Paris</answer>", "<answer>paris, france</answer>", "<think>x</think>", "<answer>Lyon</answer>"}
	for q := range 300 {
		golds := []string{"Paris", fmt.Sprint("answer ", q)}
		for r := range 1 + q%16 {
			samples = append(samples, Sample{Response: answers[(q+r)%len(answers)], Golds: golds})
		}
	}
	for _, mode := range []Mode{ModeAtom, ModeDeepResearcherCompat} {
		s := Scorer{Outcome: Outcome{Mode: mode}}
		want := make([]Result, len(samples))
		for i, in := range samples {
			var err error
			want[i], err = s.Score(0, in)
			require.NoError(t, err)
		}
		for _, conc := range []int{1, 2, 3, 8} {
			s.Concurrency = conc
			got, err := s.ScoreBatch(context.Background(), 0, samples)
			require.NoError(t, err)
			for i := range got {
				require.Equal(t, want[i].Reward, got[i].Reward, "mode %d conc %d sample %d", mode, conc, i)
				require.Equal(t, want[i].Answer, got[i].Answer, "mode %d conc %d sample %d", mode, conc, i)
			}
		}
	}
}
