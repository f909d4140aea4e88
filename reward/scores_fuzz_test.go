package reward_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/atomsearcher/atomsearcher/reward"
)

// scoresAgree checks PreparedGolds.Scores (interned ids, fold tables, pooled scratch) and
// ScoreAll (the prediction's tokens interned, each gold looked up in them) against the metric
// functions, which tokenize each text on its own.
func scoresAgree(t *testing.T, pred string, golds []string, norm reward.Normalizer) {
	t.Helper()
	got := reward.PrepareGolds(golds, norm).Scores(pred)
	want := reward.Scores{
		F1Set:   reward.Best(reward.F1Set, pred, golds, norm),
		F1Bag:   reward.Best(reward.F1Bag, pred, golds, norm),
		EM:      reward.Best(reward.EM, pred, golds, norm),
		CoverEM: reward.Best(reward.CoverEM, pred, golds, norm),
	}
	if got != want {
		t.Fatalf("Scores(%q, %q) = %+v, metric functions %+v", pred, golds, got, want)
	}
	if once := reward.ScoreAll(pred, golds, norm); once != want {
		t.Fatalf("ScoreAll(%q, %q) = %+v, metric functions %+v", pred, golds, once, want)
	}
}

// TestScoresRandom compares Scores with the metric functions on random short and long texts
// (ASCII in any case, Unicode with the full case mappings, punctuation, repeats).
func TestScoresRandom(t *testing.T) {
	words := []string{"paris", "Paris", "PARIS", "the", "The", "a", "an", "city", "of", "Zürich", "ZÜRICH", "東京",
		"ΟΔΟΣ", "οδος", "İstanbul", "istanbul", "x", "K", "\u212a", "1998", "-", ",", "!", " ", "\t", "\u00a0", "foo_bar"}
	r := rand.New(rand.NewPCG(3, 4))
	text := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(words[r.IntN(len(words))])
			if r.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	for i := range 20000 {
		n := []int{0, 1, 3, 8, 40, 120}[i%6]
		golds := make([]string, 1+r.IntN(3))
		for j := range golds {
			golds[j] = text(r.IntN([]int{4, 10, 60}[r.IntN(3)]))
		}
		pred := text(r.IntN(n + 1))
		if r.IntN(4) == 0 && len(golds[0]) > 0 {
			pred = strings.ToUpper(golds[0]) + " " + pred
		}
		for _, norm := range []reward.Normalizer{nil, reward.NormalizeSQuAD, reward.NormalizeDeepResearcher} {
			scoresAgree(t, pred, golds, norm)
		}
	}
}

// FuzzScores runs the same comparison on any input.
func FuzzScores(f *testing.F) {
	f.Add("The Paris!", "paris<|answer_split|>city of paris")
	f.Add(strings.Repeat("a b ", 40), "b a b")
	f.Fuzz(func(t *testing.T, pred, gt string) {
		golds := reward.SplitGolds(gt)
		scoresAgree(t, pred, golds, nil)
		scoresAgree(t, pred, golds, reward.NormalizeSQuAD)
	})
}
