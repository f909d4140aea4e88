package reward

// answerMemo remembers the scores of the last distinct answers scored against one question's
// prepared golds, for a scoring goroutine: the rollouts of a GRPO group often give the same
// answer (more so as training converges), and the scores of an answer depend on nothing else
// (the answer text, the golds, the metrics computed). A new question starts it over.
type answerMemo struct {
	pg      *PreparedGolds
	need    metricSet
	answers [memoSize]string
	scores  [memoSize]Scores
	n, next int // answers held; where the next one goes (the oldest is replaced)
}

// memoSize is how many distinct answers of a question answerMemo holds: a GRPO group's worth.
const memoSize = 16

// get returns the scores of answer against pg (metrics need) if it is held.
func (m *answerMemo) get(pg *PreparedGolds, need metricSet, answer string) (Scores, bool) {
	if pg != m.pg || need != m.need {
		return Scores{}, false
	}
	for i := range m.n {
		if len(m.answers[i]) == len(answer) && m.answers[i] == answer {
			return m.scores[i], true
		}
	}
	return Scores{}, false
}

// put holds the scores of answer against pg (metrics need), starting over for another pg.
func (m *answerMemo) put(pg *PreparedGolds, need metricSet, answer string, s Scores) {
	if pg != m.pg || need != m.need {
		m.release()
		m.pg, m.need = pg, need
	}
	m.answers[m.next], m.scores[m.next] = answer, s
	m.next = (m.next + 1) % memoSize
	m.n = min(m.n+1, memoSize)
}

// release forgets everything (no reference to answers or golds is kept).
func (m *answerMemo) release() {
	*m = answerMemo{}
}
