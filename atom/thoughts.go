package atom

import "strings"

// parseThoughts finds the top-level atomic thoughts <NAME>…</NAME> in src[a:b] (a think's
// inner text), appending their warnings to p.problems. NAME matches [A-Za-z][A-Za-z0-9_]* and
// is not a trajectory tag; the end tag matches in any case; same-name elements nest; other
// elements stay in their parent's text. The result is cut from p.thoughts (nil when none).
func (p *parser) parseThoughts(a, b int, lts []int32, full bool) []Thought {
	src := p.src
	start := len(p.thoughts)
	pos := a
	// the '<' in src[a:b] come from lts (every '<' from a on, in order) unless it was full:
	// ls.next finds them either way
	ls := ltScan{src: src, b: b, lts: lts, listed: !full}
	for {
		i, nameEnd := ls.nextThoughtOpen(pos)
		if i < 0 {
			break
		}
		name := src[i+1 : nameEnd]
		inner := nameEnd + 1
		closeAt := ls.findThoughtClose(name, inner)
		th := Thought{Tag: name, Inner: Span{inner, 0}}
		if closeAt >= 0 {
			th.Inner.End = closeAt
			th.Span = Span{i, closeAt + len(name) + 3}
			th.Closed = true
		} else {
			next, _ := ls.nextThoughtOpen(inner)
			if next < 0 {
				next = b
			}
			th.Inner.End = next
			th.Span = Span{i, next}
			p.problems = append(p.problems, Problem{Kind: UnclosedThought, Severity: Warning, Offset: i, Tag: name,
				Detail: "atomic thought without an end tag"})
		}
		th.Text = strings.TrimSpace(src[th.Inner.Start:th.Inner.End])
		p.thoughts = append(p.thoughts, th)
		pos = th.Span.End
	}
	if len(p.thoughts) == start {
		return nil
	}
	return p.thoughts[start:len(p.thoughts):len(p.thoughts)]
}

// holdsThought reports whether src[a:b] (a think's inner text) holds an atomic thought, which
// parseThoughts would find.
func (p *parser) holdsThought(a, b int, lts []int32, full bool) bool {
	if !full { // lts lists every '<' from a on
		for _, i := range lts {
			if int(i) >= b {
				break
			}
			if int(i) >= a && thoughtOpenAt(p.src, int(i), b) > 0 {
				return true
			}
		}
		return false
	}
	ls := ltScan{src: p.src, b: b, lts: lts, listed: !full}
	i, _ := ls.nextThoughtOpen(a)
	return i >= 0
}

// thoughtOpenAt returns the index of the closing '>' of the atomic-thought start tag at src[i]
// (a '<'), which ends before b, or 0 when there is none.
func thoughtOpenAt(src string, i, b int) int {
	if end := thoughtName(src, i+1, b); end > 0 && src[end] == '>' && !isTrajectoryName(src[i+1:end]) {
		return end
	}
	return 0
}

// ltScan finds the '<' of src[:b] at or after a position: in lts (the positions of every '<'
// from the think's start, in order) when listed, else by a byte search.
type ltScan struct {
	src    string
	b      int
	lts    []int32
	k      int // lts[:k] are before the last position asked for
	listed bool
}

// next returns the first '<' at or after from (before b), or -1.
func (ls *ltScan) next(from int) int {
	if !ls.listed {
		if from >= ls.b {
			return -1
		}
		return indexLT(ls.src[:ls.b], from)
	}
	if ls.k > 0 && int(ls.lts[ls.k-1]) >= from {
		ls.k = 0 // asked for an earlier position: start over
	}
	for ls.k < len(ls.lts) && int(ls.lts[ls.k]) < from {
		ls.k++
	}
	if ls.k < len(ls.lts) && int(ls.lts[ls.k]) < ls.b {
		return int(ls.lts[ls.k])
	}
	return -1
}

// nextThoughtOpen returns the position of the next atomic-thought start tag in src[from:b] and
// the index of its closing '>' (-1, 0 when there is none).
func (ls *ltScan) nextThoughtOpen(from int) (int, int) {
	src, b := ls.src, ls.b
	for {
		i := ls.next(from)
		if i < 0 {
			return -1, 0
		}
		if end := thoughtOpenAt(src, i, b); end > 0 {
			return i, end
		}
		from = i + 1
	}
}

// thoughtName returns the end of the name [A-Za-z][A-Za-z0-9_]* starting at i (before b), or
// -1 when there is no name or nothing follows it.
func thoughtName(src string, i, b int) int {
	if i >= b || !isLetter(src[i]) {
		return -1
	}
	j := i + 1
	for j < b && (isLetter(src[j]) || ('0' <= src[j] && src[j] <= '9') || src[j] == '_') {
		j++
	}
	if j >= b {
		return -1
	}
	return j
}

func isLetter(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

func isTrajectoryName(name string) bool {
	return equalFoldASCII(name, "think") || equalFoldASCII(name, "tool_call") || equalFoldASCII(name, "answer") ||
		equalFoldASCII(name, "tool_response")
}

// findThoughtClose returns the position of the </name> (any case) that closes an element
// opened before from, counting nested <name> elements, or -1.
func (ls *ltScan) findThoughtClose(name string, from int) int {
	src, b := ls.src, ls.b
	depth := 1
	for {
		i := ls.next(from)
		if i < 0 {
			return -1
		}
		if i+1 < b && src[i+1] == '/' {
			if end := i + 2 + len(name); end < b && equalFoldASCII(src[i+2:end], name) && src[end] == '>' {
				depth--
				if depth == 0 {
					return i
				}
			}
		} else if end := i + 1 + len(name); end < b && equalFoldASCII(src[i+1:end], name) && src[end] == '>' {
			depth++
		}
		from = i + 1
	}
}
