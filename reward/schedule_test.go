package reward_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atomsearcher/atomsearcher/reward"
)

func TestSchedulers(t *testing.T) {
	for i, tc := range []struct {
		s    reward.Scheduler
		step int
		want float64
	}{
		{reward.LinearDecay{Start: 0.5, TotalSteps: 100}, 0, 0.5},
		{reward.LinearDecay{Start: 0.5, TotalSteps: 100}, 50, 0.25},
		{reward.LinearDecay{Start: 0.5, TotalSteps: 100}, 100, 0},
		{reward.LinearDecay{Start: 0.5, TotalSteps: 100}, 250, 0},
		{reward.Constant{Value: 0.3}, 7, 0.3},
		{reward.Cosine{Start: 0.5, End: 0.1, TotalSteps: 10}, 0, 0.5},
		{reward.Cosine{Start: 0.5, End: 0.1, TotalSteps: 10}, 5, 0.3},
		{reward.Cosine{Start: 0.5, End: 0.1, TotalSteps: 10}, 10, 0.1},
		{reward.Cosine{Start: 0.5, End: 0.1, TotalSteps: 10}, 99, 0.1},
		{reward.Step{Start: 0.8, Gamma: 0.5, Every: 10}, 9, 0.8},
		{reward.Step{Start: 0.8, Gamma: 0.5, Every: 10}, 25, 0.2},
		{reward.Piecewise{{0, 0.5}, {10, 0.5}, {20, 0}}, 15, 0.25},
		{reward.Piecewise{{20, 0}, {0, 0.5}, {10, 0.5}}, 15, 0.25},
		{reward.Piecewise{{5, 0.4}, {10, 0.2}}, 0, 0.4},
		{reward.Piecewise{{5, 0.4}, {10, 0.2}}, 50, 0.2},
		{reward.Piecewise{{5, 0.4}, {5, 0.2}}, 5, 0.4},
		{reward.Func(func(step int) float64 { return 1 / float64(step+1) }), 3, 0.25},
	} {
		assert.InDelta(t, tc.want, tc.s.Alpha(tc.step), 1e-15, "case %d %T", i, tc.s)
	}
}

func TestHybrid(t *testing.T) {
	ok := reward.OutcomeResult{Reward: 0.6, FormatOK: true}
	bad := reward.OutcomeResult{Reward: -1, FormatOK: false}
	lin := reward.LinearDecay{Start: 0.5, TotalSteps: 100}
	for i, tc := range []struct {
		h     reward.Hybrid
		step  int
		rAtom float64
		out   reward.OutcomeResult
		want  float64
		alpha float64
	}{
		{reward.Hybrid{Scheduler: lin}, 0, 0.8, ok, 0.5*0.8 + 0.5*0.6, 0.5},
		{reward.Hybrid{Scheduler: lin}, 50, 0.8, ok, 0.25*0.8 + 0.75*0.6, 0.25},
		{reward.Hybrid{Scheduler: lin}, 1000, 0.8, ok, 0.6, 0},
		{reward.Hybrid{Scheduler: lin}, 0, 0.8, bad, -1, 0.5},
		{reward.Hybrid{Scheduler: lin, MixFormatErrors: true}, 0, 0.8, bad, 0.5*0.8 - 0.5, 0.5},
	} {
		r, alpha, err := tc.h.Reward(tc.step, tc.rAtom, tc.out)
		require.NoError(t, err, "case %d", i)
		assert.InDelta(t, tc.want, r, 1e-15, "case %d", i)
		assert.Equal(t, tc.alpha, alpha, "case %d", i)
	}
	for i, tc := range []struct {
		h    reward.Hybrid
		step int
	}{
		{reward.Hybrid{Scheduler: lin}, -1},
		{reward.Hybrid{}, 0},
		{reward.Hybrid{Scheduler: reward.LinearDecay{Start: 0.5}}, 0},
		{reward.Hybrid{Scheduler: reward.Cosine{Start: 1}}, 0},
		{reward.Hybrid{Scheduler: reward.Step{Start: 1, Gamma: 1}}, 0},
		{reward.Hybrid{Scheduler: reward.Piecewise{}}, 0},
		{reward.Hybrid{Scheduler: reward.Constant{Value: 1.5}}, 0},
		{reward.Hybrid{Scheduler: reward.Constant{Value: -0.1}}, 0},
		{reward.Hybrid{Scheduler: reward.Func(func(int) float64 { return math.NaN() })}, 0},
	} {
		_, _, err := tc.h.Reward(tc.step, 0, ok)
		assert.True(t, errors.Is(err, reward.ErrSchedule), "case %d: %v", i, err)
	}
}

func TestATR(t *testing.T) {
	tags := []string{"PLAN", "reflection", "VERIFICATION"}
	scores := []float64{0.9, 0.3, 0.6}
	for i, tc := range []struct {
		a    reward.ATR
		s    []float64
		tags []string
		want float64
	}{
		{reward.ATR{}, scores, tags, 0.6},
		{reward.ATR{}, scores, nil, 0.6},
		{reward.ATR{Aggregate: reward.AggregateMin}, scores, tags, 0.3},
		{reward.ATR{Aggregate: reward.AggregateWeighted, Weights: map[string]float64{"PLAN": 2, "REFLECTION": 0}}, scores, tags, (1.8 + 0.6) / 3},
		{reward.ATR{Aggregate: reward.AggregateWeighted, Weights: map[string]float64{"PLAN": 0, "REFLECTION": 0, "VERIFICATION": 0}, Empty: -0.5}, scores, tags, -0.5},
		{reward.ATR{Aggregate: reward.AggregateFunc, Func: func(s []float64, tg []string) float64 {
			if tg[1] != "REFLECTION" {
				return -9
			}
			return s[0] * s[2]
		}}, scores, tags, 0.54},
		{reward.ATR{}, nil, nil, 0},
		{reward.ATR{Empty: 0.25}, []float64{}, []string{}, 0.25},
	} {
		got, err := tc.a.Score(tc.s, tc.tags)
		require.NoError(t, err, "case %d", i)
		assert.InDelta(t, tc.want, got, 1e-15, "case %d", i)
	}
	for i, tc := range []struct {
		a    reward.ATR
		s    []float64
		tags []string
	}{
		{reward.ATR{}, []float64{1}, []string{"A", "B"}},
		{reward.ATR{}, []float64{math.NaN()}, nil},
		{reward.ATR{}, []float64{math.Inf(1)}, nil},
		{reward.ATR{Aggregate: reward.AggregateWeighted}, []float64{1}, nil},
		{reward.ATR{Aggregate: reward.AggregateWeighted, Weights: map[string]float64{"A": -1}}, []float64{1}, []string{"a"}},
		{reward.ATR{Aggregate: reward.AggregateFunc}, []float64{1}, nil},
		{reward.ATR{Aggregate: reward.AggregateFunc, Func: func([]float64, []string) float64 { return math.NaN() }}, []float64{1}, nil},
		{reward.ATR{Aggregate: 99}, []float64{1}, nil},
	} {
		_, err := tc.a.Score(tc.s, tc.tags)
		assert.True(t, errors.Is(err, reward.ErrScores), "case %d: %v", i, err)
	}
}

func TestScoreBatch(t *testing.T) {
	resp := "<think><PLAN>p</PLAN><CHECK>c</CHECK></think><answer>Paris</answer>"
	var samples []reward.Sample
	for i := range 100 {
		s := reward.Sample{Response: resp, Golds: []string{"paris"}, ThoughtScores: []float64{0.2, 0.4}}
		if i%2 == 1 {
			s.Response, s.ThoughtScores = "<think>x</think>", nil
		}
		samples = append(samples, s)
	}
	sc := reward.Scorer{Hybrid: reward.Hybrid{Scheduler: reward.LinearDecay{Start: 0.5, TotalSteps: 10}}, Concurrency: 3}
	res, err := sc.ScoreBatch(context.Background(), 5, samples)
	require.NoError(t, err)
	require.Len(t, res, 100)
	for i, r := range res {
		if i%2 == 0 {
			assert.InDelta(t, 0.25*0.3+0.75*1, r.Reward, 1e-15, "sample %d", i)
			assert.Equal(t, 0.25, r.Alpha)
			assert.InDelta(t, 0.3, r.RAtom, 1e-15)
			assert.True(t, r.HasAtom && r.FormatOK)
			assert.Equal(t, 1.0, r.F1)
			assert.Equal(t, "Paris", r.Answer)
		} else {
			assert.Equal(t, -1.0, r.Reward, "sample %d", i)
			assert.False(t, r.FormatOK || r.HasAtom)
		}
	}
	// the same response with and without thought scores, alternately: the parser skips the
	// thoughts only for the samples without
	mixed := make([]reward.Sample, 10)
	for i := range mixed {
		mixed[i] = reward.Sample{Response: resp, Golds: []string{"paris"}}
		if i%2 == 0 {
			mixed[i].ThoughtScores = []float64{0.2, 0.4}
		}
	}
	res, err = reward.Scorer{Hybrid: sc.Hybrid, Concurrency: 1}.ScoreBatch(context.Background(), 5, mixed)
	require.NoError(t, err)
	for i, r := range res {
		if i%2 == 0 {
			assert.True(t, r.HasAtom, "sample %d", i)
			assert.InDelta(t, 0.3, r.RAtom, 1e-15, "sample %d", i)
		} else {
			assert.False(t, r.HasAtom, "sample %d", i)
			assert.Equal(t, 0.0, r.RAtom, "sample %d", i)
		}
	}
	// outcome only, without a scheduler
	res, err = reward.Scorer{}.ScoreBatch(context.Background(), 0, samples[:1])
	require.NoError(t, err)
	assert.Equal(t, 1.0, res[0].Reward)

	bad := append([]reward.Sample(nil), samples...)
	bad[40].ThoughtScores = []float64{1}
	_, err = sc.ScoreBatch(context.Background(), 5, bad)
	assert.ErrorIs(t, err, reward.ErrScores)
	assert.ErrorContains(t, err, "sample 40")
	_, err = sc.ScoreBatch(context.Background(), -1, samples)
	assert.ErrorIs(t, err, reward.ErrSchedule)
	_, err = reward.Scorer{}.ScoreBatch(context.Background(), -1, samples)
	assert.ErrorIs(t, err, reward.ErrSchedule)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = sc.ScoreBatch(ctx, 5, samples)
	assert.ErrorIs(t, err, context.Canceled)

	// a batch large enough for several workers, each scoring blocks of consecutive samples
	big := make([]reward.Sample, 5000)
	for i := range big {
		big[i] = samples[i%len(samples)]
	}
	res, err = sc.ScoreBatch(context.Background(), 5, big)
	require.NoError(t, err)
	require.Len(t, res, len(big))
	for i, r := range res {
		want, err := sc.Score(5, big[i])
		require.NoError(t, err)
		require.Equal(t, want, r, "sample %d", i)
	}
	big[4321].ThoughtScores = []float64{1}
	_, err = sc.ScoreBatch(context.Background(), 5, big)
	assert.ErrorIs(t, err, reward.ErrScores)
	assert.ErrorContains(t, err, "sample 4321")
	_, err = sc.ScoreBatch(ctx, 5, big)
	assert.ErrorIs(t, err, context.Canceled)
}
