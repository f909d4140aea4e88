package reward

// PreparedGolds are gold answers normalized and tokenized once, to score many predictions
// against: the rollouts of a GRPO group share their question's golds. Tokens are interned as
// small integers in a table keyed by a hash that ignores ASCII case, and each token lists the
// golds that hold it (postings), so scoring a prediction looks each of its tokens up once,
// without lower-casing or allocating, and then visits only the golds it shares a token with.
// Safe for concurrent use.
type PreparedGolds struct {
	norm  Normalizer
	vocab tokenTable
	golds []preparedGold
	// postings lists the golds holding each token and how many times, in gold order:
	// postings[postStart[id]:postStart[id+1]]
	postings  []posting
	postStart []int32
	// ids holds every gold's token ids back to back (the golds' ids are cut from it)
	ids []int32
}

type preparedGold struct {
	ids      []int32 // token ids in order
	distinct int32
}

type posting struct {
	gold, count int32
}

// prepareScratch is the working memory of prepare: the golds' tokens back to back, where each
// gold's end, and marks per token id.
type prepareScratch struct {
	tokens []string
	keys   []tokenKey
	ends   []int32
	mark   []int32
}

// PrepareGolds normalizes and tokenizes the golds (empty ones are dropped: they score 0). A nil
// normalizer means NormalizeDeepResearcher.
func PrepareGolds(golds []string, norm Normalizer) *PreparedGolds {
	return prepareGolds(golds, norm, new(prepareScratch))
}

// prepareGolds is PrepareGolds with the working memory sc.
func prepareGolds(golds []string, norm Normalizer, sc *prepareScratch) *PreparedGolds {
	pg := new(PreparedGolds)
	pg.prepare(golds, norm, sc)
	return pg
}

// prepare fills pg for the golds with the working memory sc.
func (pg *PreparedGolds) prepare(golds []string, norm Normalizer, sc *prepareScratch) {
	pg.norm = norm
	sc.tokens, sc.keys, sc.ends = sc.tokens[:0], sc.keys[:0], sc.ends[:0]
	for _, g := range golds {
		sc.tokens, sc.keys = appendTokenKeys(sc.tokens, sc.keys, g, norm)
		sc.ends = append(sc.ends, int32(len(sc.tokens)))
	}
	defer clear(sc.tokens)         // the scratch keeps no reference to the text
	pg.vocab.reset(len(sc.tokens)) // sized for the tokens there are
	pg.ids = grow(pg.ids, len(sc.tokens))
	for i, t := range sc.tokens {
		pg.ids = append(pg.ids, pg.vocab.internKey(sc.keys[i], t))
	}
	if cap(pg.golds) < len(sc.ends) {
		pg.golds = make([]preparedGold, 0, len(sc.ends))
	}
	pg.golds = pg.golds[:0]
	start := int32(0)
	for _, end := range sc.ends {
		if end > start { // empty golds are dropped
			pg.golds = append(pg.golds, preparedGold{ids: pg.ids[start:end:end]})
		}
		start = end
	}
	pg.buildPostings(sc)
}

// buildPostings counts the distinct tokens of each gold and lists, for each token, the golds
// holding it with their counts.
func (pg *PreparedGolds) buildPostings(sc *prepareScratch) {
	v := pg.vocab.len()
	// mark[id] is the last gold seen holding id
	sc.mark = resize(sc.mark, v)
	mark := sc.mark
	for i := range mark {
		mark[i] = -1
	}
	pg.postStart = resize(pg.postStart, v+1)
	clear(pg.postStart)
	total := 0
	for gi := range pg.golds {
		g := &pg.golds[gi]
		g.distinct = 0
		for _, id := range g.ids {
			if mark[id] != int32(gi) {
				mark[id] = int32(gi)
				g.distinct++
				pg.postStart[id+1]++
			}
		}
		total += int(g.distinct)
	}
	for id := range v {
		pg.postStart[id+1] += pg.postStart[id]
	}
	if cap(pg.postings) < total {
		pg.postings = make([]posting, total)
	}
	pg.postings = pg.postings[:total]
	// fill, gold by gold: next[id] is where id's next posting goes, so the posting before it,
	// when there is one, is id's latest: this gold's if the token was seen in it already
	next := mark // reused: the gold marks are not needed any more
	copy(next, pg.postStart[:v])
	for gi := range pg.golds {
		for _, id := range pg.golds[gi].ids {
			if k := next[id] - 1; k >= pg.postStart[id] && pg.postings[k].gold == int32(gi) {
				pg.postings[k].count++
				continue
			}
			pg.postings[next[id]] = posting{gold: int32(gi), count: 1}
			next[id]++
		}
	}
}

// resize returns s with length n, reusing its memory when it is large enough (contents
// unspecified).
func resize(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}
