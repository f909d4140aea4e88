package data

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// SyntheticSource is the data_source of the synthetic world's questions.
const SyntheticSource = "synthetic"

// Question is a synthetic question: the Example the datasets hold, plus how it is answered — the
// searches an expert makes and the passage sentences each one reads.
type Question struct {
	Example
	// Type names the template ("director_country", "born_first", ...).
	Type string
	// Hops is the number of search steps the answer needs.
	Hops int
	// Steps are the searches in order; following them from the corpus gives the answer.
	Steps []Step
	// Conclusion is the sentence that derives the answer from the facts.
	Conclusion string
}

// Step is one search of an expert: the entity names it searches, the sentences it reads in their
// passages, and what it finds out — Goal with names ("where Zorika was born"), PlanGoal as a plan
// written before the names are known ("where the director was born"), and Finds, the name of the
// one entity the step finds (the next hop's subject, or the answer after the last hop; empty for
// the steps of comparisons, which find a fact about each of two entities).
type Step struct {
	Queries  []string
	Facts    []string
	Goal     string
	PlanGoal string
	Finds    string
}

// questionTemplate builds a question about a random entity; ok is false when this draw cannot
// give one (a comparison of two people born the same year).
type questionTemplate struct {
	name  string
	hops  int // 0 for comparisons
	build func(w *World, rng *rand.Rand) (text, answer string, steps []Step, conclusion string, ok bool)
}

func (w *World) pick(rng *rand.Rand, k Kind) int {
	ids := w.ofKind(k)
	return ids[rng.IntN(len(ids))]
}

func (w *World) name(i int) string { return w.Entities[i].Name }

// The steps every chain question is made of: one search each.
func (w *World) stepBornIn(p int, plan string) Step {
	return Step{Queries: []string{w.name(p)}, Facts: []string{w.fact(p, factBornIn)},
		Goal: "where " + w.name(p) + " was born", PlanGoal: plan, Finds: w.name(w.Entities[p].BornIn)}
}

func (w *World) stepDirector(f int) Step {
	return Step{Queries: []string{w.name(f)}, Facts: []string{w.fact(f, factDirectedBy)},
		Goal: "who directed " + w.name(f), PlanGoal: "who directed " + w.name(f), Finds: w.name(w.Entities[f].DirectedBy)}
}

func (w *World) stepCountry(c int, plan string) Step {
	return Step{Queries: []string{w.name(c)}, Facts: []string{w.fact(c, factCityIn)},
		Goal: "in which country " + w.name(c) + " is", PlanGoal: plan, Finds: w.name(w.Entities[c].LocatedIn)}
}

func (w *World) stepCapital(k int, plan string) Step {
	return Step{Queries: []string{w.name(k)}, Facts: []string{w.fact(k, factCapitalIs)},
		Goal: "the capital of " + w.name(k), PlanGoal: plan, Finds: w.name(w.Entities[k].Capital)}
}

func (w *World) stepFounder(o int) Step {
	return Step{Queries: []string{w.name(o)}, Facts: []string{w.fact(o, factOrg)},
		Goal: "who founded " + w.name(o), PlanGoal: "who founded " + w.name(o), Finds: w.name(w.Entities[o].FoundedBy)}
}

func (w *World) stepHQ(o int) Step {
	return Step{Queries: []string{w.name(o)}, Facts: []string{w.fact(o, factHQ)},
		Goal: "where " + w.name(o) + " is headquartered", PlanGoal: "where " + w.name(o) + " is headquartered",
		Finds: w.name(w.Entities[o].HeadquarteredIn)}
}

func chain(answer string, steps ...Step) (string, []Step, string) {
	return answer, steps, "So the answer is " + answer + "."
}

var questionTemplates = []questionTemplate{
	{"born_city", 1, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		p := w.pick(rng, Person)
		a, s, c := chain(w.name(w.Entities[p].BornIn), w.stepBornIn(p, "where "+w.name(p)+" was born"))
		return fmt.Sprintf("Where was %s born?", w.name(p)), a, s, c, true
	}},
	{"director", 1, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		f := w.pick(rng, Film)
		a, s, c := chain(w.name(w.Entities[f].DirectedBy), w.stepDirector(f))
		return fmt.Sprintf("Who directed %s?", w.name(f)), a, s, c, true
	}},
	{"city_country", 1, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		c := w.pick(rng, City)
		a, s, con := chain(w.name(w.Entities[c].LocatedIn), w.stepCountry(c, "in which country "+w.name(c)+" is"))
		return fmt.Sprintf("In which country is %s?", w.name(c)), a, s, con, true
	}},
	{"capital", 1, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		k := w.pick(rng, Country)
		a, s, c := chain(w.name(w.Entities[k].Capital), w.stepCapital(k, "the capital of "+w.name(k)))
		return fmt.Sprintf("What is the capital of %s?", w.name(k)), a, s, c, true
	}},
	{"founder", 1, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		o := w.pick(rng, Organization)
		a, s, c := chain(w.name(w.Entities[o].FoundedBy), w.stepFounder(o))
		return fmt.Sprintf("Who founded %s?", w.name(o)), a, s, c, true
	}},
	{"headquarters", 1, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		o := w.pick(rng, Organization)
		a, s, c := chain(w.name(w.Entities[o].HeadquarteredIn), w.stepHQ(o))
		return fmt.Sprintf("In which city is %s headquartered?", w.name(o)), a, s, c, true
	}},
	{"person_country", 2, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		p := w.pick(rng, Person)
		city := w.Entities[p].BornIn
		a, s, c := chain(w.name(w.Entities[city].LocatedIn),
			w.stepBornIn(p, "where "+w.name(p)+" was born"),
			w.stepCountry(city, "in which country that city is"))
		return fmt.Sprintf("In which country was %s born?", w.name(p)), a, s, c, true
	}},
	{"director_city", 2, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		f := w.pick(rng, Film)
		d := w.Entities[f].DirectedBy
		a, s, c := chain(w.name(w.Entities[d].BornIn), w.stepDirector(f), w.stepBornIn(d, "where the director was born"))
		return fmt.Sprintf("Where was the director of %s born?", w.name(f)), a, s, c, true
	}},
	{"headquarters_country", 2, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		o := w.pick(rng, Organization)
		city := w.Entities[o].HeadquarteredIn
		a, s, c := chain(w.name(w.Entities[city].LocatedIn), w.stepHQ(o), w.stepCountry(city, "in which country that city is"))
		return fmt.Sprintf("In which country is %s headquartered?", w.name(o)), a, s, c, true
	}},
	{"founder_city", 2, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		o := w.pick(rng, Organization)
		p := w.Entities[o].FoundedBy
		a, s, c := chain(w.name(w.Entities[p].BornIn), w.stepFounder(o), w.stepBornIn(p, "where the founder was born"))
		return fmt.Sprintf("Where was the founder of %s born?", w.name(o)), a, s, c, true
	}},
	{"city_capital", 2, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		city := w.pick(rng, City)
		k := w.Entities[city].LocatedIn
		a, s, c := chain(w.name(w.Entities[k].Capital),
			w.stepCountry(city, "in which country "+w.name(city)+" is"), w.stepCapital(k, "the capital of that country"))
		return fmt.Sprintf("What is the capital of the country where %s is?", w.name(city)), a, s, c, true
	}},
	{"director_country", 3, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		f := w.pick(rng, Film)
		d := w.Entities[f].DirectedBy
		city := w.Entities[d].BornIn
		a, s, c := chain(w.name(w.Entities[city].LocatedIn), w.stepDirector(f),
			w.stepBornIn(d, "where the director was born"), w.stepCountry(city, "in which country that city is"))
		return fmt.Sprintf("In which country was the director of %s born?", w.name(f)), a, s, c, true
	}},
	{"birth_capital", 3, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		p := w.pick(rng, Person)
		city := w.Entities[p].BornIn
		k := w.Entities[city].LocatedIn
		a, s, c := chain(w.name(w.Entities[k].Capital), w.stepBornIn(p, "where "+w.name(p)+" was born"),
			w.stepCountry(city, "in which country that city is"), w.stepCapital(k, "the capital of that country"))
		return fmt.Sprintf("What is the capital of the country where %s was born?", w.name(p)), a, s, c, true
	}},
	{"founder_country", 3, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		o := w.pick(rng, Organization)
		p := w.Entities[o].FoundedBy
		city := w.Entities[p].BornIn
		a, s, c := chain(w.name(w.Entities[city].LocatedIn), w.stepFounder(o),
			w.stepBornIn(p, "where the founder was born"), w.stepCountry(city, "in which country that city is"))
		return fmt.Sprintf("In which country was the founder of %s born?", w.name(o)), a, s, c, true
	}},
	{"born_first", 0, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		return w.earlierOf(rng, Person, factBornIn, "born", "Who was born first, %s or %s?")
	}},
	{"released_first", 0, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		return w.earlierOf(rng, Film, factReleased, "released", "Which film was released first, %s or %s?")
	}},
	{"same_country", 0, func(w *World, rng *rand.Rand) (string, string, []Step, string, bool) {
		x, y := w.pick(rng, Person), w.pick(rng, Person)
		if x == y {
			return "", "", nil, "", false
		}
		ex, ey := w.Entities[x], w.Entities[y]
		cx, cy := ex.BornIn, ey.BornIn
		kx, ky := w.Entities[cx].LocatedIn, w.Entities[cy].LocatedIn
		// Half the draws are made to share the country, so that yes and no are balanced.
		if rng.IntN(2) == 0 && kx != ky {
			return "", "", nil, "", false
		}
		step1 := Step{Queries: []string{ex.Name, ey.Name}, Facts: []string{w.fact(x, factBornIn), w.fact(y, factBornIn)},
			Goal: "where " + ex.Name + " and " + ey.Name + " were born", PlanGoal: "where " + ex.Name + " and " + ey.Name + " were born"}
		step2 := Step{Queries: []string{w.name(cx)}, Facts: []string{w.fact(cx, factCityIn)},
			Goal: "in which countries those cities are", PlanGoal: "in which countries those cities are"}
		if cy != cx {
			step2.Queries = append(step2.Queries, w.name(cy))
			step2.Facts = append(step2.Facts, w.fact(cy, factCityIn))
		}
		answer, verdict := "no", "in different countries"
		if kx == ky {
			answer, verdict = "yes", "in the same country, "+w.name(kx)
		}
		con := fmt.Sprintf("%s and %s were born %s, so the answer is %s.", ex.Name, ey.Name, verdict, answer)
		return fmt.Sprintf("Were %s and %s born in the same country?", ex.Name, ey.Name), answer, []Step{step1, step2}, con, true
	}},
}

// earlierOf draws two entities of kind k and asks which came first by year: fact is the passage
// sentence that states the year, verb its participle ("born", "released"), question the format
// of the question with the two names. ok is false when both have the same year.
func (w *World) earlierOf(rng *rand.Rand, k Kind, fact, verb, question string) (string, string, []Step, string, bool) {
	x, y := w.pick(rng, k), w.pick(rng, k)
	ex, ey := w.Entities[x], w.Entities[y]
	if ex.Year == ey.Year {
		return "", "", nil, "", false
	}
	first := x
	if ey.Year < ex.Year {
		first = y
	}
	goal := "when " + ex.Name + " and " + ey.Name + " were " + verb
	step := Step{Queries: []string{ex.Name, ey.Name}, Facts: []string{w.fact(x, fact), w.fact(y, fact)}, Goal: goal, PlanGoal: goal}
	con := fmt.Sprintf("%s was %s in %d and %s was %s in %d, so %s was %s first.", ex.Name, verb, ex.Year, ey.Name, verb, ey.Year, w.name(first), verb)
	return fmt.Sprintf(question, ex.Name, ey.Name), w.name(first), []Step{step}, con, true
}

// defaultHopWeights is the default share of 1-hop, 2-hop, 3-hop and comparison questions.
var defaultHopWeights = [4]float64{0.25, 0.3, 0.25, 0.2}

// Splits of the synthetic questions.
const (
	SplitTrain = "train"
	SplitDev   = "dev"
	SplitTest  = "test"
)

// Questions generates the world's questions, distinct by text, and splits them by the config's
// sizes into train, dev and test (in that order). It is deterministic from the seed.
func (w *World) Questions() (train, dev, test []Question, err error) {
	cfg := w.Config
	total := cfg.TrainQuestions + cfg.DevQuestions + cfg.TestQuestions
	weights, sum := cfg.HopWeights, 0.0
	for _, v := range weights {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, nil, fmt.Errorf("data: world HopWeights %v: a weight is negative or not finite", weights)
		}
		sum += v
	}
	if sum == 0 {
		return nil, nil, nil, fmt.Errorf("data: world HopWeights are all zero")
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x71756573))
	byHops := [4][]questionTemplate{}
	for _, t := range questionTemplates {
		byHops[t.hops] = append(byHops[t.hops], t)
	}
	// byHops[0] holds the comparisons; weights are in 1, 2, 3, comparison order.
	classes := [4][]questionTemplate{byHops[1], byHops[2], byHops[3], byHops[0]}
	seen := map[string]bool{}
	var all []Question
	for attempts := 0; len(all) < total; attempts++ {
		if attempts > 50*total {
			return nil, nil, nil, fmt.Errorf("data: world too small: %d distinct questions after %d draws, want %d", len(all), attempts, total)
		}
		r, class := rng.Float64(), 0
		r *= sum
		for class < 3 && r >= weights[class] {
			r -= weights[class]
			class++
		}
		t := classes[class][rng.IntN(len(classes[class]))]
		text, answer, steps, conclusion, ok := t.build(w, rng)
		if !ok || seen[text] {
			continue
		}
		seen[text] = true
		all = append(all, Question{
			Example: Example{DataSource: SyntheticSource, Question: text, Answers: []string{answer},
				Prompt: []Message{{Role: "user", Content: text}}, Ability: "search & question answering", Style: "rule"},
			Type: t.name, Hops: len(steps), Steps: steps, Conclusion: conclusion,
		})
	}
	label := func(qs []Question, split string) []Question {
		for i := range qs {
			qs[i].Split = split
			qs[i].ID = fmt.Sprintf("%s_%s_%d", SyntheticSource, split, i)
			qs[i].Extra = map[string]any{"index": qs[i].ID, "split": split, "type": qs[i].Type, "hops": int64(qs[i].Hops)}
		}
		return qs
	}
	train = label(all[:cfg.TrainQuestions], SplitTrain)
	dev = label(all[cfg.TrainQuestions:cfg.TrainQuestions+cfg.DevQuestions], SplitDev)
	test = label(all[cfg.TrainQuestions+cfg.DevQuestions:], SplitTest)
	return train, dev, test, nil
}

// Examples returns the questions' Examples, the rows the dataset files hold.
func Examples(qs []Question) []Example {
	out := make([]Example, len(qs))
	for i, q := range qs {
		out[i] = q.Example
	}
	return out
}
