package reward

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAnswerMemo checks that the memo returns held scores only for the same golds, metrics and
// answer, replaces its oldest answer when full, and starts over for other golds.
func TestAnswerMemo(t *testing.T) {
	paris, rome := PrepareGolds([]string{"Paris"}, nil), PrepareGolds([]string{"Rome"}, nil)
	one := Scores{F1Set: 1, EM: 1}
	var m answerMemo
	m.put(paris, 0, "paris", one)
	for _, tc := range []struct {
		name   string
		pg     *PreparedGolds
		need   metricSet
		answer string
		hit    bool
	}{
		{"held", paris, 0, "paris", true},
		{"other answer", paris, 0, "pari", false},
		{"other golds", rome, 0, "paris", false},
		{"other metrics", paris, metricBag, "paris", false},
	} {
		got, hit := m.get(tc.pg, tc.need, tc.answer)
		assert.Equal(t, tc.hit, hit, tc.name)
		if tc.hit {
			assert.Equal(t, one, got, tc.name)
		}
	}

	for i := range memoSize { // the first answer is replaced by the last
		m.put(paris, 0, fmt.Sprint("answer ", i), Scores{F1Set: float64(i)})
	}
	_, hit := m.get(paris, 0, "paris")
	assert.False(t, hit, "the oldest answer was kept past memoSize")
	got, hit := m.get(paris, 0, fmt.Sprint("answer ", memoSize-1))
	assert.True(t, hit)
	assert.Equal(t, float64(memoSize-1), got.F1Set)

	m.put(rome, 0, "rome", one) // other golds: the memo starts over
	_, hit = m.get(paris, 0, "answer 3")
	assert.False(t, hit)
	_, hit = m.get(rome, 0, "rome")
	assert.True(t, hit)

	m.release()
	_, hit = m.get(rome, 0, "rome")
	assert.False(t, hit)
	assert.Equal(t, answerMemo{}, m)
}
