package data_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atomsearcher/atomsearcher/data"
)

func smallConfig(seed uint64) data.WorldConfig {
	return data.WorldConfig{Seed: seed, People: 60, Films: 30, Cities: 20, Countries: 5, Organizations: 12,
		TrainQuestions: 300, DevQuestions: 30, TestQuestions: 30}
}

// corpusFacts reads the relations back from the passages' text with regular expressions — the
// independent route a reader of the corpus takes, not the generator's structs.
type corpusFacts struct {
	born, cityIn, capital, director, founder, hq map[string]string
	year                                         map[string]int
}

func readCorpus(t *testing.T, passages []data.Passage) corpusFacts {
	f := corpusFacts{born: map[string]string{}, cityIn: map[string]string{}, capital: map[string]string{},
		director: map[string]string{}, founder: map[string]string{}, hq: map[string]string{}, year: map[string]int{}}
	res := []struct {
		re  *regexp.Regexp
		use func(m []string)
	}{
		{regexp.MustCompile(`^(\w+) was born in (\w+) in (\d+)\.`), func(m []string) { f.born[m[1]] = m[2]; f.year[m[1]], _ = strconv.Atoi(m[3]) }},
		{regexp.MustCompile(`^(\w+) is a film released in (\d+)\.`), func(m []string) { f.year[m[1]], _ = strconv.Atoi(m[2]) }},
		{regexp.MustCompile(`^(\w+) was directed by (\w+)\.`), func(m []string) { f.director[m[1]] = m[2] }},
		{regexp.MustCompile(`^(\w+) is a city in (\w+)\.`), func(m []string) { f.cityIn[m[1]] = m[2] }},
		{regexp.MustCompile(`^The capital of (\w+) is (\w+)\.`), func(m []string) { f.capital[m[1]] = m[2] }},
		{regexp.MustCompile(`^(\w+) is an? \w+ founded in \d+ by (\w+)\.`), func(m []string) { f.founder[m[1]] = m[2] }},
		{regexp.MustCompile(`^(\w+) is headquartered in (\w+)\.`), func(m []string) { f.hq[m[1]] = m[2] }},
	}
	for _, p := range passages {
		for _, sentence := range strings.SplitAfter(p.Text, ". ") {
			sentence = strings.TrimSpace(sentence)
			for _, r := range res {
				if m := r.re.FindStringSubmatch(sentence); m != nil {
					require.Equal(t, p.Title, m[1], "fact about another entity in %s", p.ID)
					r.use(m)
				}
			}
		}
	}
	return f
}

// solve answers a question from the corpus facts by its wording.
func (f corpusFacts) solve(q string) (string, bool) {
	type rule struct {
		re    string
		solve func(m []string) string
	}
	earlier := func(a, b string) string {
		if f.year[a] < f.year[b] {
			return a
		}
		return b
	}
	country := func(person string) string { return f.cityIn[f.born[person]] }
	rules := []rule{
		{`^Where was the director of (\w+) born\?$`, func(m []string) string { return f.born[f.director[m[1]]] }},
		{`^Where was the founder of (\w+) born\?$`, func(m []string) string { return f.born[f.founder[m[1]]] }},
		{`^In which country was the director of (\w+) born\?$`, func(m []string) string { return country(f.director[m[1]]) }},
		{`^In which country was the founder of (\w+) born\?$`, func(m []string) string { return country(f.founder[m[1]]) }},
		{`^What is the capital of the country where (\w+) was born\?$`, func(m []string) string { return f.capital[country(m[1])] }},
		{`^What is the capital of the country where (\w+) is\?$`, func(m []string) string { return f.capital[f.cityIn[m[1]]] }},
		{`^Where was (\w+) born\?$`, func(m []string) string { return f.born[m[1]] }},
		{`^Who directed (\w+)\?$`, func(m []string) string { return f.director[m[1]] }},
		{`^In which country is (\w+) headquartered\?$`, func(m []string) string { return f.cityIn[f.hq[m[1]]] }},
		{`^In which country is (\w+)\?$`, func(m []string) string { return f.cityIn[m[1]] }},
		{`^What is the capital of (\w+)\?$`, func(m []string) string { return f.capital[m[1]] }},
		{`^Who founded (\w+)\?$`, func(m []string) string { return f.founder[m[1]] }},
		{`^In which city is (\w+) headquartered\?$`, func(m []string) string { return f.hq[m[1]] }},
		{`^In which country was (\w+) born\?$`, func(m []string) string { return country(m[1]) }},
		{`^Who was born first, (\w+) or (\w+)\?$`, func(m []string) string { return earlier(m[1], m[2]) }},
		{`^Which film was released first, (\w+) or (\w+)\?$`, func(m []string) string { return earlier(m[1], m[2]) }},
		{`^Were (\w+) and (\w+) born in the same country\?$`, func(m []string) string {
			if country(m[1]) == country(m[2]) {
				return "yes"
			}
			return "no"
		}},
	}
	for _, r := range rules {
		if m := regexp.MustCompile(r.re).FindStringSubmatch(q); m != nil {
			a := r.solve(m)
			return a, a != ""
		}
	}
	return "", false
}

func TestWorldQuestionsAnswerableFromCorpus(t *testing.T) {
	for _, cfg := range []data.WorldConfig{{}, smallConfig(7)} {
		w, err := data.NewWorld(cfg)
		require.NoError(t, err)
		passages := w.Passages()
		facts := readCorpus(t, passages)
		train, dev, test, err := w.Questions()
		require.NoError(t, err)
		c := w.Config
		require.Len(t, train, c.TrainQuestions)
		require.Len(t, dev, c.DevQuestions)
		require.Len(t, test, c.TestQuestions)
		types, hops := map[string]int{}, map[int]int{}
		seen := map[string]bool{}
		for _, q := range append(append(train, dev...), test...) {
			got, ok := facts.solve(q.Question)
			require.True(t, ok, "unsolvable: %q", q.Question)
			require.Equal(t, []string{got}, q.Answers, q.Question)
			require.False(t, seen[q.Question], "duplicate %q", q.Question)
			seen[q.Question] = true
			types[q.Type]++
			hops[q.Hops]++
		}
		assert.Len(t, types, 17, "every template is used")
		for h := 1; h <= 3; h++ {
			assert.Positive(t, hops[h], "hops %d", h)
		}
	}
}

func TestWorldDeterministic(t *testing.T) {
	gen := func(seed uint64) (string, string) {
		w, err := data.NewWorld(smallConfig(seed))
		require.NoError(t, err)
		train, _, _, err := w.Questions()
		require.NoError(t, err)
		experts, err := data.Experts(context.Background(), train[:20], w.Search)
		require.NoError(t, err)
		a, _ := json.Marshal(w.Passages())
		b, _ := json.Marshal(experts)
		return string(a), string(b)
	}
	p1, e1 := gen(3)
	p2, e2 := gen(3)
	p3, _ := gen(4)
	assert.Equal(t, p1, p2)
	assert.Equal(t, e1, e2)
	assert.NotEqual(t, p1, p3)
}

func TestWorldShape(t *testing.T) {
	w, err := data.NewWorld(data.WorldConfig{})
	require.NoError(t, err)
	assert.Len(t, w.Entities, 630)
	names := map[string]bool{}
	for _, e := range w.Entities {
		assert.Regexp(t, `^[A-Z][a-z]+$`, e.Name)
		assert.False(t, names[strings.ToLower(e.Name)], "duplicate name %s", e.Name)
		names[strings.ToLower(e.Name)] = true
	}
	train, dev, test, err := w.Questions()
	require.NoError(t, err)
	experts, err := data.Experts(context.Background(), train, w.Search)
	require.NoError(t, err)
	// The vocabulary a word-level tokenizer needs: words and punctuation of corpus, questions
	// and trajectories, with the names being most of it.
	vocab := map[string]bool{}
	word := regexp.MustCompile(`[A-Za-z0-9_]+|[^\sA-Za-z0-9_]`)
	add := func(s string) {
		for _, tok := range word.FindAllString(s, -1) {
			vocab[tok] = true
		}
	}
	for _, p := range w.Passages() {
		assert.LessOrEqual(t, len(p.Text), 300, p.ID)
		add(p.Title + " " + p.Text + " " + p.URL)
	}
	for _, q := range append(append(train, dev...), test...) {
		add(q.Question)
	}
	for _, e := range experts {
		require.True(t, e.Grounded(), e.Question.Question)
		for _, turn := range e.Turns {
			add(turn.Assistant + turn.ToolResponse)
		}
	}
	nonNames := 0
	for v := range vocab {
		if !names[strings.ToLower(v)] {
			nonNames++
		}
	}
	t.Logf("vocabulary: %d tokens, %d of them not names", len(vocab), nonNames)
	assert.Less(t, nonNames, 1000)
}

func TestExpertTrajectoryFormat(t *testing.T) {
	w, err := data.NewWorld(smallConfig(1))
	require.NoError(t, err)
	train, _, _, err := w.Questions()
	require.NoError(t, err)
	var q data.Question
	for _, c := range train {
		if c.Type == "director_country" {
			q = c
			break
		}
	}
	require.NotEmpty(t, q.Question)
	e, err := data.Expert(context.Background(), q, w.Search)
	require.NoError(t, err)
	require.Len(t, e.Turns, 4)
	film := strings.TrimSuffix(strings.TrimPrefix(q.Question, "In which country was the director of "), " born?")
	first := e.Turns[0]
	assert.Equal(t, []string{film}, first.Queries)
	assert.True(t, strings.HasPrefix(first.Assistant, "<think>\n<PLAN>The question is: "+q.Question+" To answer it, I need to find who directed "+film+", then where the director was born, then in which country that city is.</PLAN>\n"), first.Assistant)
	assert.True(t, strings.HasSuffix(first.Assistant, "</think>\n<tool_call>\n{\"name\": \"web_search\", \"arguments\": {\"query\": [\""+film+"\"]}}\n</tool_call>"), first.Assistant)
	assert.True(t, strings.HasPrefix(first.ToolResponse, "Results for \""+film+"\":\n[1] "+film+"\nlocal://doc/e"), first.ToolResponse)
	for i, turn := range e.Turns[1:3] {
		assert.Contains(t, turn.Assistant, "<OBSERVATION>", i)
		assert.Contains(t, turn.Assistant, "<REFLECTION>Now I know", i)
		assert.True(t, turn.Grounded)
	}
	last := e.Turns[3]
	assert.Nil(t, last.Queries)
	assert.Contains(t, last.Assistant, "<VERIFICATION>")
	assert.True(t, strings.HasSuffix(last.Assistant, "</think>\n<answer>"+q.Answers[0]+"</answer>"))
	msgs := e.Messages()
	require.Len(t, msgs, 1+4+3)
	assert.Equal(t, "user", msgs[0].Role)
	assert.Equal(t, "tool", msgs[2].Role)
}

func TestHastyExpert(t *testing.T) {
	w, err := data.NewWorld(smallConfig(1))
	require.NoError(t, err)
	train, _, _, err := w.Questions()
	require.NoError(t, err)
	byType := map[string]data.Question{}
	for _, q := range train {
		if _, ok := byType[q.Type]; !ok {
			byType[q.Type] = q
		}
	}
	cases := []struct {
		typ   string
		hasty bool
	}{
		{"director_city", true}, {"person_country", true}, {"director_country", true},
		{"born_city", false}, {"born_first", false}, {"same_country", false},
	}
	for i, c := range cases {
		q, ok := byType[c.typ]
		require.True(t, ok, "case %d: no %s question in the small world", i, c.typ)
		assert.Equal(t, c.hasty, data.CanBeHasty(q), "case %d %s", i, c.typ)
		e, err := data.HastyExpert(context.Background(), q, w.Search)
		if !c.hasty {
			assert.ErrorContains(t, err, "not a chain of two or more hops", "case %d", i)
			continue
		}
		require.NoError(t, err, "case %d", i)
		full, err := data.Expert(context.Background(), q, w.Search)
		require.NoError(t, err)
		assert.True(t, e.Hasty)
		assert.False(t, full.Hasty)
		require.Len(t, e.Turns, 2, "case %d: one search, then the answer", i)
		// The first turn is the full expert's, word for word: the two differ only in when they stop.
		assert.Equal(t, full.Turns[0], e.Turns[0], "case %d", i)
		assert.True(t, e.Grounded())
		last := e.Turns[1]
		assert.Nil(t, last.Queries)
		first := q.Steps[0]
		assert.NotEqual(t, q.Answers[0], first.Finds, "case %d", i)
		assert.Contains(t, last.Assistant, "<OBSERVATION>"+strings.Join(first.Facts, " ")+"</OBSERVATION>\n<VERIFICATION>", "case %d", i)
		assert.True(t, strings.HasSuffix(last.Assistant, "So the answer is "+first.Finds+".</VERIFICATION>\n</think>\n<answer>"+first.Finds+"</answer>"), last.Assistant)
		// What the first step finds is named in the facts it reads; the last step finds the answer.
		assert.Contains(t, strings.Join(first.Facts, " "), first.Finds, "case %d", i)
		assert.Equal(t, q.Answers[0], q.Steps[len(q.Steps)-1].Finds, "case %d", i)
	}
}

func TestExpertErrors(t *testing.T) {
	w, err := data.NewWorld(smallConfig(1))
	require.NoError(t, err)
	train, _, _, err := w.Questions()
	require.NoError(t, err)
	failing := func(context.Context, []string) (string, error) { return "", fmt.Errorf("backend down") }
	_, err = data.Expert(context.Background(), train[0], failing)
	assert.ErrorContains(t, err, "backend down")
	_, err = data.Expert(context.Background(), data.Question{}, w.Search)
	assert.ErrorContains(t, err, "no steps")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = data.Experts(ctx, train[:3], w.Search)
	assert.ErrorIs(t, err, context.Canceled)
	// A search that misses the facts gives an ungrounded trajectory, not an error.
	empty := func(context.Context, []string) (string, error) { return "No results.", nil }
	e, err := data.Expert(context.Background(), train[0], empty)
	require.NoError(t, err)
	assert.False(t, e.Grounded())
	out, err := w.Search(context.Background(), []string{"Nobody"})
	require.NoError(t, err)
	assert.Equal(t, "Results for \"Nobody\":\nNo results.", out)
}

func TestWorldConfigErrors(t *testing.T) {
	_, err := data.NewWorld(data.WorldConfig{Cities: 3, Countries: 5})
	assert.ErrorContains(t, err, "capital")
	w, err := data.NewWorld(data.WorldConfig{People: 3, Films: 1, Cities: 1, Countries: 1, Organizations: 1, TrainQuestions: 5000})
	require.NoError(t, err)
	_, _, _, err = w.Questions()
	assert.ErrorContains(t, err, "world too small")
}

func TestWriteWorld(t *testing.T) {
	w, err := data.NewWorld(smallConfig(2))
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, w.WriteWorld(dir))
	_, dev, _, err := w.Questions()
	require.NoError(t, err)
	for _, name := range []string{"dev.parquet", "dev.jsonl"} {
		got, err := data.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		require.Len(t, got, len(dev))
		for i := range dev {
			assert.Equal(t, dev[i].Question, got[i].Question)
			assert.Equal(t, dev[i].Answers, got[i].Answers)
			assert.Equal(t, dev[i].ID, got[i].ID)
			assert.Equal(t, data.SyntheticSource, got[i].DataSource)
			assert.EqualValues(t, dev[i].Hops, asInt(got[i].Extra["hops"]), name)
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "corpus.jsonl"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	require.Len(t, lines, len(w.Entities))
	var p data.Passage
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &p))
	assert.Equal(t, w.Passages()[0], p)
	experts, err := data.Experts(context.Background(), dev[:2], w.Search)
	require.NoError(t, err)
	require.NoError(t, data.WriteExperts(filepath.Join(dir, "experts.jsonl"), experts))
}

func asInt(v any) int64 {
	switch t := v.(type) {
	case int64:
		return t
	case float64:
		return int64(t)
	}
	return -1
}

func TestWorldHopWeights(t *testing.T) {
	cases := []struct {
		weights [4]float64
		hops    map[int]bool // allowed Hops values (comparisons have 1 or 2 steps)
		err     string
	}{
		{[4]float64{1, 0, 0, 0}, map[int]bool{1: true}, ""},
		{[4]float64{0, 0, 2, 0}, map[int]bool{3: true}, ""},
		{[4]float64{-1, 1, 0, 0}, nil, "negative or not finite"},
	}
	for i, c := range cases {
		w, err := data.NewWorld(data.WorldConfig{Seed: 5, TrainQuestions: 50, DevQuestions: 5, TestQuestions: 5, HopWeights: c.weights})
		require.NoError(t, err, "case %d", i)
		train, _, _, err := w.Questions()
		if c.err != "" {
			require.ErrorContains(t, err, c.err, "case %d", i)
			continue
		}
		require.NoError(t, err, "case %d", i)
		for _, q := range train {
			assert.True(t, c.hops[q.Hops], "case %d: %s has %d hops", i, q.Type, q.Hops)
		}
	}
}
