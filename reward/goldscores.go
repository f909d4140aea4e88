package reward

import "sync"

// shortPred is the prediction length (bytes) up to which Scores works on stack buffers: such a
// prediction has at most shortPred/2 tokens. fewGolds is the gold count up to which the
// per-gold counters are on the stack too.
const (
	shortPred = 64
	fewGolds  = 64
)

// scoreScratch is the working memory of Scores for long predictions or many golds.
type scoreScratch struct {
	tokens       []string
	ids, known   []int32
	knownCount   []int32
	unknown      []uint64 // open addressing: hash<<32 | token index+1
	knownAt      []int32  // id -> index in known + 1; all zero between calls
	setC, bagC   []int32  // per gold; all zero between calls
	touchedGolds []int32
}

var scratchPool = sync.Pool{New: func() any { return new(scoreScratch) }}

// Scores computes every metric of pred against the prepared golds (best gold for each).
func (pg *PreparedGolds) Scores(pred string) Scores {
	if len(pg.golds) == 0 {
		return Scores{}
	}
	var (
		tokBuf                         [shortPred / 2]string
		idBuf, knownBuf, knownCountBuf [shortPred / 2]int32
		unknownBuf                     [shortPred]uint64
	)
	var sc *scoreScratch
	if len(pred) > shortPred || len(pg.golds) > fewGolds {
		sc = scratchPool.Get().(*scoreScratch)
		defer scratchPool.Put(sc)
	}
	var p []string
	if sc != nil {
		sc.tokens = appendTokens(sc.tokens[:0], pred, pg.norm)
		defer clear(sc.tokens) // keep no reference to pred
		p = sc.tokens
	} else {
		p = appendTokens(tokBuf[:0], pred, pg.norm)
	}
	if len(p) == 0 {
		return Scores{}
	}
	// the prediction as ids (-1: in no gold), its distinct known ids with their counts, and
	// the number of its distinct unknown tokens (an open-addressing set of token indexes)
	ids, known, knownCount := idBuf[:0], knownBuf[:0], knownCountBuf[:0]
	unknown := unknownBuf[:]
	var knownAt []int32 // for long predictions: id -> index in known + 1
	if len(p) > len(idBuf) {
		if sc == nil {
			sc = scratchPool.Get().(*scoreScratch)
			defer scratchPool.Put(sc)
		}
		// with room for every token, so the appends below never move them
		sc.ids, sc.known, sc.knownCount = grow(sc.ids, len(p)), grow(sc.known, len(p)), grow(sc.knownCount, len(p))
		ids, known, knownCount = sc.ids, sc.known, sc.knownCount
		sc.unknown = growSlots(sc.unknown, tableSize(len(p)))
		unknown = sc.unknown
		if cap(sc.knownAt) < pg.vocab.len() {
			sc.knownAt = make([]int32, pg.vocab.len())
		}
		knownAt = sc.knownAt[:pg.vocab.len()]
	}
	mask := uint32(tableSize(len(p)) - 1)
	unknown = unknown[:mask+1]
	distinctUnknown := 0
	for i, t := range p {
		h := foldHash(t)
		id := pg.vocab.find(h, t)
		ids = append(ids, id)
		if id < 0 {
			if addUnknown(unknown, mask, h, p, i) {
				distinctUnknown++
			}
			continue
		}
		k := -1
		if knownAt != nil {
			k = int(knownAt[id]) - 1
		} else {
			for j, x := range known {
				if x == id {
					k = j
					break
				}
			}
		}
		if k < 0 {
			known = append(known, id)
			knownCount = append(knownCount, 1)
			if knownAt != nil {
				knownAt[id] = int32(len(known))
			}
		} else {
			knownCount[k]++
		}
	}
	if knownAt != nil {
		for _, id := range known {
			knownAt[id] = 0
		}
	}
	return pg.bestOver(ids, known, knownCount, len(known)+distinctUnknown, distinctUnknown == 0, sc)
}

// bestOver scores a tokenized prediction against the golds sharing a token with it (the others
// score 0): ids are its tokens' ids (-1 when in no gold), known its distinct known ids with
// their counts, distinct its distinct token count; allKnown says no id is -1. sc is non-nil
// when there are more than fewGolds golds.
func (pg *PreparedGolds) bestOver(ids, known, knownCount []int32, distinct int, allKnown bool, sc *scoreScratch) Scores {
	var s Scores
	var setBuf, bagBuf, touchedBuf [fewGolds]int32
	setC, bagC, touched := setBuf[:], bagBuf[:], touchedBuf[:0]
	many := len(pg.golds) > fewGolds
	if many {
		sc.setC, sc.bagC = growZero(sc.setC, len(pg.golds)), growZero(sc.bagC, len(pg.golds))
		sc.touchedGolds = grow(sc.touchedGolds, len(pg.golds)) // room for every gold
		setC, bagC, touched = sc.setC, sc.bagC, sc.touchedGolds
	}
	for k, id := range known {
		c := knownCount[k]
		for _, g := range pg.postings[pg.postStart[id]:pg.postStart[id+1]] {
			if setC[g.gold] == 0 {
				touched = append(touched, g.gold)
			}
			setC[g.gold]++
			bagC[g.gold] += min(g.count, c)
		}
	}
	np := len(ids)
	for _, gi := range touched {
		g := &pg.golds[gi]
		s.F1Set = max(s.F1Set, f1(int(setC[gi]), distinct, int(g.distinct)))
		s.F1Bag = max(s.F1Bag, f1(int(bagC[gi]), np, len(g.ids)))
		if s.EM == 0 && allKnown && len(g.ids) == np && equalIDs(ids, g.ids) {
			s.EM = 1
		}
		if s.CoverEM == 0 && setC[gi] == g.distinct && containsIDs(ids, g.ids) {
			s.CoverEM = 1
		}
	}
	if many {
		for _, gi := range touched {
			setC[gi], bagC[gi] = 0, 0
		}
	}
	return s
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

// growZero returns s with length n, all zero, reusing its memory when it is large enough (its
// elements are zero between calls).
func growZero(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
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
