package reward

import (
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
