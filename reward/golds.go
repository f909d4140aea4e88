package reward

import "sync"

// PreparedGolds are gold answers normalized and tokenized once, to score many predictions
// against: the rollouts of a GRPO group share their question's golds. Tokens are interned as
// small integers in an open-addressing table keyed by a hash that ignores ASCII case, so
// scoring a prediction looks each of its tokens up once, without lower-casing or allocating,
// and then compares integers. Safe for concurrent use.
type PreparedGolds struct {
	norm  Normalizer
	vocab []string // id -> token (ASCII letters in any case)
	table foldTable
	golds []preparedGold
	// tokens is scratch for tokenizing a gold, kept for reuse (pooled PreparedGolds)
	tokens []string
}

type preparedGold struct {
	ids      []int32 // token ids in order
	distinct int
	counts   []int32 // id -> count (ids up to the gold's largest), for long golds
}

// bigGold is the token count above which a gold's ids are also counted in a map.
const bigGold = 32

// PrepareGolds normalizes and tokenizes the golds (empty ones are dropped: they score 0). A nil
// normalizer means NormalizeDeepResearcher.
func PrepareGolds(golds []string, norm Normalizer) *PreparedGolds {
	pg := new(PreparedGolds)
	pg.prepare(golds, norm)
	pg.tokens = nil
	return pg
}

// prepare fills pg for the golds, reusing its memory.
func (pg *PreparedGolds) prepare(golds []string, norm Normalizer) {
	pg.norm = norm
	pg.vocab = pg.vocab[:0]
	// sized for the tokens the golds can have (one per two bytes), reusing a pooled table's
	// memory but clearing only what is used: one long gold must not make every later call
	// clear a large table
	n := 0
	for _, g := range golds {
		n += (len(g) + 1) / 2
	}
	pg.table.reset(n)
	all := pg.golds[:cap(pg.golds)] // earlier entries, whose ids slices are reused
	pg.golds = pg.golds[:0]
	used := 0 // scratch tokens to clear: the pooled scratch keeps no reference to the text
	defer func() { clear(pg.tokens[:used]) }()
	for _, g := range golds {
		ts := appendTokens(pg.tokens[:0], g, norm)
		pg.tokens = ts
		used = max(used, len(ts))
		if len(ts) == 0 {
			continue
		}
		var p preparedGold
		if n := len(pg.golds); n < len(all) {
			p.ids, p.counts = all[n].ids[:0], all[n].counts
		}
		for _, t := range ts {
			id := pg.table.find(pg.vocab, t)
			if id < 0 {
				// tokens are kept as written: lookups ignore ASCII case, and other text is
				// lower case already
				id = int32(len(pg.vocab))
				pg.vocab = append(pg.vocab, t)
				pg.table.add(pg.vocab)
			}
			p.ids = append(p.ids, id)
		}
		if len(ts) > bigGold {
			p.counts = p.counts[:0]
			p.counts = append(p.counts, make([]int32, len(pg.vocab))...)
			for _, id := range p.ids {
				if p.counts[id] == 0 {
					p.distinct++
				}
				p.counts[id]++
			}
		} else {
			p.counts = nil
			for i, id := range p.ids {
				if firstID(p.ids, i, id) {
					p.distinct++
				}
			}
		}
		pg.golds = append(pg.golds, p)
	}
}

// goldsPool holds PreparedGolds for one-off scoring (Outcome.Score, Scorer.Score).
var goldsPool = sync.Pool{New: func() any { return new(PreparedGolds) }}

// release returns a pooled pg, dropping its references to the golds' text.
func (pg *PreparedGolds) release() {
	clear(pg.vocab)
	pg.norm = nil
	goldsPool.Put(pg)
}

func firstID(ids []int32, i int, id int32) bool {
	for _, x := range ids[:i] {
		if x == id {
			return false
		}
	}
	return true
}

// foldHash hashes t ignoring ASCII letter case (FNV-1a over the lower-cased bytes).
func foldHash(t string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(t); i++ {
		c := t[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint32(c)) * 16777619
	}
	return h
}

// foldTable maps tokens (ignoring ASCII case) to ids: open addressing over a power-of-two
// slice of ids + 1 (0: empty), the tokens themselves kept by the caller, indexed by id.
type foldTable struct {
	slots []int32
	mask  uint32
}

// newFoldTable makes a table for up to n tokens, at most half full.
func newFoldTable(n int) foldTable {
	size := 8
	for size < 2*n {
		size *= 2
	}
	return foldTable{slots: make([]int32, size), mask: uint32(size - 1)}
}

// reset empties the table and sizes it for n tokens, reusing its memory when large enough.
func (ft *foldTable) reset(n int) {
	size := 8
	for size < 2*n {
		size *= 2
	}
	if cap(ft.slots) < size {
		*ft = newFoldTable(n)
		return
	}
	ft.slots, ft.mask = ft.slots[:size], uint32(size-1)
	clear(ft.slots)
}

// find returns the id of t (any ASCII case) among tokens, or -1.
func (ft *foldTable) find(tokens []string, t string) int32 {
	for i := foldHash(t) & ft.mask; ; i = (i + 1) & ft.mask {
		id := ft.slots[i] - 1
		if id < 0 || equalFoldASCII(tokens[id], t) {
			return id
		}
	}
}

// add inserts the last of tokens (which find does not hold), growing the table to keep it at
// most half full.
func (ft *foldTable) add(tokens []string) {
	if 2*len(tokens) > len(ft.slots) {
		*ft = newFoldTable(len(tokens))
		for id, t := range tokens[:len(tokens)-1] {
			ft.insert(t, int32(id))
		}
	}
	ft.insert(tokens[len(tokens)-1], int32(len(tokens)-1))
}

// insert adds id for t, which find does not hold, in a table with room.
func (ft *foldTable) insert(t string, id int32) {
	i := foldHash(t) & ft.mask
	for ft.slots[i] != 0 {
		i = (i + 1) & ft.mask
	}
	ft.slots[i] = id + 1
}

// lookup returns the id of token t (any ASCII case), or -1 when no gold has it.
func (pg *PreparedGolds) lookup(t string) int32 {
	return pg.table.find(pg.vocab, t)
}

func (g *preparedGold) count(id int32) int {
	if g.counts != nil {
		if int(id) < len(g.counts) {
			return int(g.counts[id])
		}
		return 0
	}
	n := 0
	for _, x := range g.ids {
		if x == id {
			n++
		}
	}
	return n
}

// scoreScratch is the working memory of Scores for long predictions (short ones use the stack).
type scoreScratch struct {
	tokens  []string
	ids     []int32 // capacity >= len(tokens)
	known   []int32 // distinct known ids, first-occurrence order; capacity >= len(tokens)
	counts  []int32 // per gold id: occurrences in the prediction
	unknown []int32 // fold table slots for the distinct unknown tokens
}

var scratchPool = sync.Pool{New: func() any { return new(scoreScratch) }}

// shortPred is the prediction length (bytes) up to which Scores works on stack buffers: such a
// prediction has at most shortPred/2 tokens.
const shortPred = 64

// Scores computes every metric of pred against the prepared golds (best gold for each).
func (pg *PreparedGolds) Scores(pred string) Scores {
	var s Scores
	if len(pg.golds) == 0 {
		return s
	}
	var (
		tokBuf               [shortPred / 2]string
		idBuf, knownBuf      [shortPred / 2]int32
		countBuf, unknownBuf [shortPred]int32
	)
	var sc *scoreScratch
	var p []string
	ids, known := idBuf[:0], knownBuf[:0]
	if len(pred) <= shortPred {
		p = appendTokens(tokBuf[:0], pred, pg.norm)
	} else {
		// what goes back to the pool is cut from the scratch only, never from the stack buffers
		sc = scratchPool.Get().(*scoreScratch)
		defer scratchPool.Put(sc)
		sc.tokens = appendTokens(sc.tokens[:0], pred, pg.norm)
		defer clear(sc.tokens) // keep no reference to pred
		p = sc.tokens
		if cap(sc.ids) < len(p) {
			sc.ids, sc.known = make([]int32, 0, len(p)), make([]int32, 0, len(p))
		}
		ids, known = sc.ids[:0], sc.known[:0]
	}
	if len(p) == 0 {
		return s
	}
	// counts per gold id, and a fold table of the unknown tokens (to count the distinct ones)
	n := 8
	for n < 2*len(p) {
		n *= 2
	}
	if sc == nil && (len(pg.vocab) > len(countBuf) || n > len(unknownBuf)) {
		sc = scratchPool.Get().(*scoreScratch)
		defer scratchPool.Put(sc)
	}
	var counts []int32
	unknown := foldTable{mask: uint32(n - 1)}
	if sc == nil {
		counts, unknown.slots = countBuf[:len(pg.vocab)], unknownBuf[:n]
	} else {
		sc.counts, sc.unknown = grow(sc.counts, len(pg.vocab)), grow(sc.unknown, n)
		counts, unknown.slots = sc.counts, sc.unknown
	}
	// the prediction as ids (-1: in no gold), its distinct known ids and their counts
	distinct := 0 // distinct prediction tokens, known or not
	for i, t := range p {
		id := pg.lookup(t)
		ids = append(ids, id)
		if id < 0 {
			if unknown.find(p, t) < 0 {
				unknown.insert(t, int32(i))
				distinct++
			}
			continue
		}
		if counts[id] == 0 {
			distinct++
			known = append(known, id)
		}
		counts[id]++
	}
	for gi := range pg.golds {
		g := &pg.golds[gi]
		setCommon, bagCommon := 0, 0
		for _, id := range known {
			if c := g.count(id); c > 0 {
				setCommon++
				bagCommon += min(c, int(counts[id]))
			}
		}
		s.F1Set = max(s.F1Set, f1(setCommon, distinct, g.distinct))
		s.F1Bag = max(s.F1Bag, f1(bagCommon, len(p), len(g.ids)))
		if s.EM == 0 && equalIDs(ids, g.ids) {
			s.EM = 1
		}
		if s.CoverEM == 0 && containsIDs(ids, g.ids) {
			s.CoverEM = 1
		}
	}
	return s
}

// grow returns s with length n, all zero, reusing its memory when it is large enough.
func grow(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// seenToken reports whether t (any ASCII case) occurs in ts.
func seenToken(ts []string, t string) bool {
	for _, u := range ts {
		if equalFoldASCII(u, t) {
			return true
		}
	}
	return false
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
