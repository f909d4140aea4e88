package reward

import "sync"

// scoreScratch is the working memory of PreparedGolds.Scores, kept by each scoring goroutine
// (pooled for one-off calls), so that scoring a prediction allocates nothing and clears only
// what it used.
type scoreScratch struct {
	tokens     []string // the prediction's tokens (the first used are set: release clears them)
	used       int
	keys       []tokenKey // the tokens' tokenKey
	ids        []int32    // the prediction's token ids (-1: in no gold)
	known      []int32    // its distinct known ids, in first-occurrence order
	knownCount []int32    // their counts in the prediction
	unknown    []uint64   // open addressing over its unknown tokens: hash<<32 | token index+1
	knownAt    []int32    // id -> index in known + 1; all zero between calls
	setC, bagC []int32    // per gold: tokens in common (set, bag); all zero between calls
	touched    []int32    // the golds sharing a token with the prediction
}

var scratchPool = sync.Pool{New: func() any { return new(scoreScratch) }}

// release drops the scratch's references to the texts it scored, for a scratch kept idle.
func (sc *scoreScratch) release() {
	clear(sc.tokens[:sc.used])
	sc.used = 0
}

// Scores computes every metric of pred against the prepared golds (best gold for each).
func (pg *PreparedGolds) Scores(pred string) Scores {
	sc := scratchPool.Get().(*scoreScratch)
	defer func() {
		sc.release()
		scratchPool.Put(sc)
	}()
	return pg.scores(pred, sc, metricsAll)
}

// metricSet says which of the metrics that cost extra work scores computes (F1Set and EM always).
type metricSet uint8

const (
	metricBag   metricSet = 1 << iota // F1Bag
	metricCover                       // CoverEM
	metricsAll  = metricBag | metricCover
)

// scores is Scores with the working memory sc, computing F1Set, EM and the metrics in need (the
// others are 0).
func (pg *PreparedGolds) scores(pred string, sc *scoreScratch, need metricSet) Scores {
	if len(pg.golds) == 0 {
		return Scores{}
	}
	sc.tokens, sc.keys = appendTokenKeys(sc.tokens[:0], sc.keys[:0], pred, pg.norm)
	p, keys := sc.tokens, sc.keys
	sc.used = max(sc.used, len(p)) // release clears them
	if len(p) == 0 {
		return Scores{}
	}
	// room for every token and gold, so that the appends below never move a slice
	n := len(p)
	sc.ids, sc.known, sc.knownCount = grow(sc.ids, n), grow(sc.known, n), grow(sc.knownCount, n)
	sc.knownAt = growZero(sc.knownAt, pg.vocab.len())
	size := tableSize(n)
	var unknown []uint64 // emptied at the first unknown token
	ids, known, knownCount, knownAt := sc.ids, sc.known, sc.knownCount, sc.knownAt
	mask := uint32(size - 1)
	distinctUnknown := 0
	for i, t := range p {
		k := keys[i]
		id := pg.vocab.find(k, t)
		ids = append(ids, id)
		if id < 0 {
			if unknown == nil {
				sc.unknown = growSlots(sc.unknown, size)
				unknown = sc.unknown
			}
			if addUnknown(unknown, mask, k.hash, p, i) {
				distinctUnknown++
			}
			continue
		}
		if k := knownAt[id]; k > 0 {
			knownCount[k-1]++
			continue
		}
		known = append(known, id)
		knownCount = append(knownCount, 1)
		knownAt[id] = int32(len(known))
	}
	for _, id := range known {
		knownAt[id] = 0
	}
	return pg.bestOver(ids, known, knownCount, len(known)+distinctUnknown, distinctUnknown == 0, sc, need)
}

// bestOver scores a tokenized prediction against the golds sharing a token with it (the others
// score 0): ids are its tokens' ids (-1 when in no gold), known its distinct known ids with
// their counts, distinct its distinct token count; allKnown says no id is -1.
func (pg *PreparedGolds) bestOver(ids, known, knownCount []int32, distinct int, allKnown bool, sc *scoreScratch,
	need metricSet) Scores {
	sc.setC, sc.bagC = growZero(sc.setC, len(pg.golds)), growZero(sc.bagC, len(pg.golds))
	sc.touched = grow(sc.touched, len(pg.golds))
	setC, bagC, touched := sc.setC, sc.bagC, sc.touched
	bag, cover := need&metricBag != 0, need&metricCover != 0
	for k, id := range known {
		c := knownCount[k]
		for _, g := range pg.postings[pg.postStart[id]:pg.postStart[id+1]] {
			if setC[g.gold] == 0 {
				touched = append(touched, g.gold)
			}
			setC[g.gold]++
			if bag {
				bagC[g.gold] += min(g.count, c)
			}
		}
	}
	var s Scores
	np := len(ids)
	s.F1Set = pg.bestF1(touched, setC, distinct, false)
	if bag {
		s.F1Bag = pg.bestF1(touched, bagC, np, true)
	}
	for _, gi := range touched {
		g := &pg.golds[gi]
		if s.EM == 0 && allKnown && len(g.ids) == np && equalIDs(ids, g.ids) {
			s.EM = 1
		}
		if cover && s.CoverEM == 0 && setC[gi] == g.distinct && containsIDs(ids, g.ids) {
			s.CoverEM = 1
		}
		setC[gi], bagC[gi] = 0, 0
	}
	return s
}

// bestF1 is the best f1(common[gi], nPred, n) over the golds gi of touched (common > 0 for
// each), n being a gold's distinct tokens or, for bag, all its tokens. For common c > 0 the F1 is
// 2c/(nPred+n), so the golds compare by c/(nPred+n) in integers and only the F1 of those tied at
// the best are computed: rounding keeps distinct fractions in that order while the denominators
// stay below 2^20 (they differ by at least 2^-40 relatively; the rounding errors of f1 are a few
// units of 2^-53); past that, every F1 is computed.
func (pg *PreparedGolds) bestF1(touched, common []int32, nPred int, bag bool) float64 {
	nGold := func(gi int32) int {
		if bag {
			return len(pg.golds[gi].ids)
		}
		return int(pg.golds[gi].distinct)
	}
	bestC, bestN, ordered := 0, 1, true
	for _, gi := range touched {
		c, n := int(common[gi]), nPred+nGold(gi)
		ordered = ordered && n < 1<<20
		if c*bestN > bestC*n {
			bestC, bestN = c, n
		}
	}
	best := 0.0
	for _, gi := range touched {
		c, n := int(common[gi]), nGold(gi)
		if ordered && c*bestN != bestC*(nPred+n) {
			continue
		}
		best = max(best, f1(c, nPred, n))
	}
	return best
}

// addUnknown adds p[i] (hash h) to the set of token indexes in slots, reporting whether it was
// new (no token equal to it, ignoring ASCII case, is in the set).
func addUnknown(slots []uint64, mask, h uint32, p []string, i int) bool {
	for j := h & mask; ; j = (j + 1) & mask {
		s := slots[j]
		if s == 0 {
			slots[j] = uint64(h)<<32 | uint64(i+1)
			return true
		}
		if uint32(s>>32) == h && equalFoldASCII(p[int(uint32(s))-1], p[i]) {
			return false
		}
	}
}

// grow returns s emptied with room for n, reusing its memory when it is large enough.
func grow(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, 0, n)
	}
	return s[:0]
}

// growZero returns s with length at least n, all zero: s's whole memory is zero between calls
// (its users clear what they set), and it is reused when it is large enough.
func growZero(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:cap(s)]
}

// growSlots returns n empty slots, reusing s's memory when it is large enough.
func growSlots(s []uint64, n int) []uint64 {
	if cap(s) < n {
		return make([]uint64, n)
	}
	s = s[:n]
	clear(s)
	return s
}

func equalIDs(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// containsIDs reports whether g occurs in p as a contiguous run (ids -1 never match).
func containsIDs(p, g []int32) bool {
	for i := 0; i+len(g) <= len(p); i++ {
		if equalIDs(p[i:i+len(g)], g) {
			return true
		}
	}
	return false
}
