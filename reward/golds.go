package reward

import "sync"

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
	// tokens and mark are scratch for prepare, kept for reuse (pooled PreparedGolds)
	tokens []string
	mark   []int32
}

type preparedGold struct {
	ids      []int32 // token ids in order
	distinct int32
}

type posting struct {
	gold, count int32
}

// PrepareGolds normalizes and tokenizes the golds (empty ones are dropped: they score 0). A nil
// normalizer means NormalizeDeepResearcher.
func PrepareGolds(golds []string, norm Normalizer) *PreparedGolds {
	pg := new(PreparedGolds)
	pg.prepare(golds, norm)
	pg.tokens, pg.mark = nil, nil
	return pg
}

// prepare fills pg for the golds, reusing its memory.
func (pg *PreparedGolds) prepare(golds []string, norm Normalizer) {
	pg.norm = norm
	// sized for the tokens the golds can have (one per two bytes), reusing a pooled table's
	// memory but clearing only what is used: one long gold must not make every later call
	// clear a large table
	n := 0
	for _, g := range golds {
		n += (len(g) + 1) / 2
	}
	pg.vocab.reset(n)
	pg.golds, pg.ids = pg.golds[:0], pg.ids[:0]
	used := 0 // scratch tokens to clear: the pooled scratch keeps no reference to the text
	for _, g := range golds {
		ts := appendTokens(pg.tokens[:0], g, norm)
		pg.tokens = ts
		used = max(used, len(ts))
		if len(ts) == 0 {
			continue
		}
		start := len(pg.ids)
		for _, t := range ts {
			pg.ids = append(pg.ids, pg.vocab.intern(t))
		}
		// only the length counts here: the ids are cut again below, once pg.ids stops moving
		pg.golds = append(pg.golds, preparedGold{ids: pg.ids[start:]})
	}
	clear(pg.tokens[:used])
	start := 0
	for i := range pg.golds {
		n := len(pg.golds[i].ids)
		pg.golds[i].ids = pg.ids[start : start+n : start+n]
		start += n
	}
	pg.buildPostings()
}

// buildPostings counts the distinct tokens of each gold and lists, for each token, the golds
// holding it with their counts.
func (pg *PreparedGolds) buildPostings() {
	v := pg.vocab.len()
	// mark[id] is the last gold seen holding id, then (second pass) where its posting is
	pg.mark = resize(pg.mark, v)
	for i := range pg.mark {
		pg.mark[i] = -1
	}
	pg.postStart = resize(pg.postStart, v+1)
	clear(pg.postStart)
	total := 0
	for gi := range pg.golds {
		g := &pg.golds[gi]
		g.distinct = 0
		for _, id := range g.ids {
			if pg.mark[id] != int32(gi) {
				pg.mark[id] = int32(gi)
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
	next := pg.mark // reused: the gold marks are not needed any more
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

// goldsPool holds PreparedGolds for one-off scoring (Outcome.Score, Scorer.Score).
var goldsPool = sync.Pool{New: func() any { return new(PreparedGolds) }}

// release returns a pooled pg (it holds no reference to the golds' text).
func (pg *PreparedGolds) release() {
	pg.norm = nil
	goldsPool.Put(pg)
}
