package reward

import "sync"

// onceScratch is the working memory of scoreOnce, kept by each scoring goroutine (pooled for
// one-off calls).
type onceScratch struct {
	vocab      tokenTable // the prediction's distinct tokens
	tokens     []string
	keys       []tokenKey
	predIDs    []int32 // the prediction's tokens as vocab ids
	predCount  []int32 // per vocab id: occurrences in the prediction
	goldIDs    []int32 // a gold's tokens as vocab ids (-1: not in the prediction)
	goldCount  []int32 // per vocab id: occurrences in the gold
	seen       []int32 // per vocab id: the generation of the last gold holding it
	gen        int32
	seenIDs    []int32  // the vocab ids a gold holds
	unknown    []uint64 // open addressing over a gold's tokens not in the prediction
	goldTokens []string
	goldKeys   []tokenKey
}

var oncePool = sync.Pool{New: func() any { return new(onceScratch) }}

// ScoreAll computes every metric of pred against the golds (best gold for each), normalizing
// each text once. A nil normalizer means NormalizeDeepResearcher.
func ScoreAll(pred string, golds []string, norm Normalizer) Scores {
	sc := oncePool.Get().(*onceScratch)
	defer oncePool.Put(sc)
	return scoreOnce(pred, golds, norm, sc, metricsAll)
}

// appendTokenKeys appends the tokens of s and their tokenKey: one pass with the DeepResearcher
// normalization for a text with no rune to lower-case but ASCII letters, else appendTokens
// then tokenKeyOf.
func appendTokenKeys(tokens []string, keys []tokenKey, s string, norm Normalizer) ([]string, []tokenKey) {
	n, m := len(tokens), len(keys)
	if norm == nil {
		t, k, ok := appendPlainTokens(tokens, keys, s)
		if ok {
			return t, k
		}
		clear(t[n:])
		tokens, keys = t[:n], k[:m]
	}
	tokens = appendTokens(tokens, s, norm)
	for _, t := range tokens[n:] {
		keys = append(keys, tokenKeyOf(t))
	}
	return tokens, keys
}

// scoreOnce is PrepareGolds(golds, norm).scores(pred, ..., need) for golds scored against one
// prediction only, as Scorer.Score and Outcome.Score do: rather than interning the golds'
// tokens, it interns the prediction's (a few) and looks each gold's tokens up among them, gold
// by gold, so that a gold costs its tokenizing and one lookup per token.
func scoreOnce(pred string, golds []string, norm Normalizer, sc *onceScratch, need metricSet) Scores {
	var s Scores
	sc.tokens, sc.keys = appendTokenKeys(sc.tokens[:0], sc.keys[:0], pred, norm)
	p := sc.tokens
	defer clear(p) // keep no reference to the texts
	if len(p) == 0 {
		return s
	}
	sc.vocab.reset(len(p))
	sc.predIDs = grow(sc.predIDs, len(p))
	for i, t := range p {
		sc.predIDs = append(sc.predIDs, sc.vocab.internKey(sc.keys[i], t))
	}
	distinct := sc.vocab.len()
	sc.predCount, sc.goldCount = growZero(sc.predCount, distinct), growZero(sc.goldCount, distinct)
	if cap(sc.seen) < distinct { // seen holds generations: older ones never match
		sc.seen = make([]int32, distinct)
	}
	predCount, goldCount, seen := sc.predCount, sc.goldCount, sc.seen[:cap(sc.seen)]
	for _, id := range sc.predIDs {
		predCount[id]++
	}
	defer clear(predCount[:distinct])
	if sc.gen > 1<<30 { // the generations start over before they can wrap
		clear(seen)
		sc.gen = 0
	}
	bag, cover := need&metricBag != 0, need&metricCover != 0
	used := 0 // gold tokens to clear at the end
	defer func() { clear(sc.goldTokens[:used]) }()
	for _, g := range golds {
		sc.goldTokens, sc.goldKeys = appendTokenKeys(sc.goldTokens[:0], sc.goldKeys[:0], g, norm)
		gt := sc.goldTokens
		used = max(used, len(gt))
		if len(gt) == 0 {
			continue
		}
		sc.gen++
		gen := sc.gen
		sc.goldIDs, sc.seenIDs = grow(sc.goldIDs, len(gt)), grow(sc.seenIDs, len(gt))
		goldIDs, seenIDs := sc.goldIDs, sc.seenIDs
		for i, t := range gt {
			id := sc.vocab.find(sc.goldKeys[i], t)
			goldIDs = append(goldIDs, id)
			if id < 0 {
				continue
			}
			if seen[id] != gen {
				seen[id] = gen
				seenIDs = append(seenIDs, id)
			}
			goldCount[id]++
		}
		if common := len(seenIDs); common > 0 { // else every metric is 0 for this gold
			// the gold's distinct tokens: those in the prediction, and the others told apart
			distinctGold := common
			slots := tableSize(len(gt))
			sc.unknown = growSlots(sc.unknown, slots)
			for i, id := range goldIDs {
				if id < 0 && addUnknown(sc.unknown, uint32(slots-1), sc.goldKeys[i].hash, gt, i) {
					distinctGold++
				}
			}
			s.F1Set = max(s.F1Set, f1(common, distinct, distinctGold))
			if bag {
				bagCommon := 0
				for _, id := range seenIDs {
					bagCommon += int(min(goldCount[id], predCount[id]))
				}
				s.F1Bag = max(s.F1Bag, f1(bagCommon, len(p), len(gt)))
			}
			if s.EM == 0 && equalIDs(sc.predIDs, goldIDs) {
				s.EM = 1
			}
			if cover && s.CoverEM == 0 && common == distinctGold && containsIDs(sc.predIDs, goldIDs) {
				s.CoverEM = 1
			}
		}
		for _, id := range seenIDs {
			goldCount[id] = 0
		}
	}
	return s
}
