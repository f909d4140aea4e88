package atom

import (
	"slices"
	"strings"
)

// Parse reads a trajectory from the assistant-side transcript text: the model's turns with the
// tool responses inline, with or without ChatML markers. It never fails: whatever the text, the
// result holds the elements it could recognize and, in Problems, every rule the text breaks
// (syntax found while scanning plus Validate's content rules).
//
// Model text is scanned for <think>, <tool_call>, <answer> (any letter case). Text inside
// <tool_response>…</tool_response> (up to the first closing tag) and inside non-assistant ChatML
// messages (up to <|im_end|>) is opaque. A turn ends where a tool response or a ChatML marker
// begins. Inside an element, other trajectory tags are text (counted for balance only); a think
// without its end tag ends at the first <tool_call> or <answer> in it (the model forgot
// "</think>"), an unclosed tool call or answer at the end of its turn, and both are
// unbalanced_tag errors.
func Parse(text string, opts Options) *Trajectory {
	var p parser
	switch {
	case len(text) < smallText:
		a := new(smallArena)
		p.start(&a.t, &a.answer, a.turns[:0], a.thinks[:0], a.calls[:0], a.responses[:0], a.thoughts[:0], a.problems[:0])
		p.lts = a.lts[:]
	case len(text) < mediumText:
		a := new(mediumArena)
		p.start(&a.t, &a.answer, a.turns[:0], a.thinks[:0], a.calls[:0], a.responses[:0], a.thoughts[:0], a.problems[:0])
		p.lts = a.lts[:]
	default:
		a := new(arena)
		p.start(&a.t, &a.answer, a.turns[:0], a.thinks[:0], a.calls[:0], a.responses[:0], a.thoughts[:0], a.problems[:0])
		p.lts = a.lts[:]
	}
	return p.parse(text, opts, nil)
}

// start sets the parser up to build into t, answer and the given empty slabs.
func (p *parser) start(t *Trajectory, answer *Answer, turns []Turn, thinks []Think, calls []ToolCall,
	responses []ToolResponse, thoughts []Thought, problems []Problem) {
	p.t, p.answer = t, answer
	p.turns, p.thinks, p.calls, p.responses, p.thoughts, p.problems = turns, thinks, calls, responses, thoughts, problems
	p.t.Turns = turns
}

// parse is Parse on a started parser; sc, when non-nil, is the tool calls' scratch to reuse.
func (p *parser) parse(text string, opts Options, sc *callScratch) *Trajectory {
	p.src, p.opts, p.cur, p.respTurn = text, opts, -1, -1
	p.t.Text = text
	for e := range p.counts {
		p.counts[e] = tagCount{firstOpen: -1, firstClose: -1}
	}
	// ChatML (the text holds <|im_start|> or <|im_end|>) is found while scanning: every '<' of
	// the text outside ChatML messages is looked at by nextTag or, in an inline tool response,
	// by responseClose, and a ChatML message starts with <|im_start|>.
	p.run()
	p.checkCounts()
	if sc == nil {
		sc = new(callScratch)
	}
	problems := validate(p.problems, p.t, opts, sc, p.sawThought)
	p.problems = problems
	if !slices.IsSortedFunc(problems, byOffset) {
		slices.SortStableFunc(problems, byOffset)
	}
	if len(problems) > 0 {
		p.t.Problems = problems
	}
	p.turns = p.t.Turns
	if len(p.t.Turns) == 0 {
		p.t.Turns = nil
	}
	return p.t
}

func byOffset(a, b Problem) int { return a.Offset - b.Offset }

type tagCount struct {
	open, close           int
	firstOpen, firstClose int
}

type parser struct {
	src      string
	opts     Options
	t        *Trajectory
	problems []Problem
	// turns is the slab t.Turns starts in (the slices below are the others')
	turns  []Turn
	counts [numElements]tagCount
	// reported marks elements that already have a structural unbalanced_tag problem.
	reported [numElements]bool
	// cur is the index of the turn accepting model text, -1 when none does.
	cur int
	// regionStart is where the current stretch of model text began.
	regionStart int
	// thinks, calls, responses and thoughts are slabs the turns' and thinks' slices are cut from
	// (capacity-limited), so a trajectory costs a few allocations rather than one per element.
	// The elements of one turn (one think) are appended consecutively; curStart records where
	// the accepting turn's began in each slab.
	thinks    []Think
	calls     []ToolCall
	responses []ToolResponse
	thoughts  []Thought
	curStart  [3]int
	// respTurn is the turn the responses slab is being appended for (-1: none).
	respTurn, respStart int
	// answer is the arena's Answer, for the first answer found.
	answer *Answer
	// lts is the buffer of the '<' positions a think's scan records (its capacity)
	lts []int32
	// skipThoughts (Parser.SkipThoughts): thinks get no Thoughts; sawThought records that one
	// holds an atomic thought all the same
	skipThoughts, sawThought bool
}

func (p *parser) problem(k Kind, sev Severity, off int, tag, detail string) {
	p.problems = append(p.problems, Problem{Kind: k, Severity: sev, Offset: off, Tag: tag, Detail: detail})
}

func (p *parser) unbalanced(e element, off int, detail string) {
	p.reported[e] = true
	p.problem(UnbalancedTag, Error, off, elementName[e], detail)
}

func (p *parser) count(id tagID, off int) {
	e, open, ok := elementOf(id)
	if !ok {
		return
	}
	c := &p.counts[e]
	if open {
		if c.open == 0 {
			c.firstOpen = off
		}
		c.open++
	} else {
		if c.close == 0 {
			c.firstClose = off
		}
		c.close++
	}
}

// turn returns the turn accepting model text, starting one at the current region if none does.
func (p *parser) turn() *Turn {
	if p.cur < 0 {
		p.t.Turns = append(p.t.Turns, Turn{Span: Span{p.regionStart, p.regionStart}})
		p.cur = len(p.t.Turns) - 1
		p.curStart = [3]int{len(p.thinks), len(p.calls)}
	}
	return &p.t.Turns[p.cur]
}

// endTurn closes the accepting turn's span at off; later model text starts a new turn.
func (p *parser) endTurn(off int) {
	if p.cur >= 0 {
		p.t.Turns[p.cur].Span.End = off
		p.cur = -1
	}
}

// lastTurn returns the latest turn, starting an empty one at off if there is none.
func (p *parser) lastTurn(off int) *Turn {
	if len(p.t.Turns) == 0 {
		p.t.Turns = append(p.t.Turns, Turn{Span: Span{off, off}})
	}
	return &p.t.Turns[len(p.t.Turns)-1]
}

func (p *parser) run() {
	src := p.src
	pos := 0
	if p.opts.PrefilledThink {
		p.t.PrefilledThink = true
		p.count(tagThinkOpen, 0)
		pos = p.element(elemThink, 0, 0)
	}
	for pos < len(src) {
		k := p.scanModel(pos)
		if k >= len(src) {
			p.endTurn(len(src))
			return
		}
		id := classify(src, k)
		switch id {
		case tagResponseOpen:
			p.endTurn(k)
			pos = p.inlineResponse(k)
		case tagIMEnd:
			p.t.ChatML = true
			if p.cur >= 0 {
				p.t.Turns[p.cur].EndMarker = true
			}
			p.endTurn(k)
			pos = k + len(tagText[tagIMEnd])
		case tagEndOfText:
			p.endTurn(k)
			pos = k + len(tagText[tagEndOfText])
		case tagIMStart:
			p.t.ChatML = true
			p.endTurn(k)
			pos = p.message(k)
		}
		p.regionStart = pos
	}
	p.endTurn(len(src))
}

// scanModel scans model text from pos up to the next tool response or ChatML marker, building
// elements, and returns where it stopped (len(src) at the end).
func (p *parser) scanModel(pos int) int {
	src := p.src
	for {
		i, id := nextTag(src, pos)
		p.outside(pos, i)
		switch id {
		case tagNone:
			return len(src)
		case tagResponseOpen, tagIMStart, tagIMEnd, tagEndOfText:
			return i
		case tagThinkOpen:
			p.turn()
			p.count(id, i)
			pos = p.element(elemThink, i, len(tagText[id]))
		case tagCallOpen:
			p.turn()
			p.count(id, i)
			pos = p.element(elemCall, i, len(tagText[id]))
		case tagAnswerOpen:
			p.turn()
			p.count(id, i)
			pos = p.element(elemAnswer, i, len(tagText[id]))
		case tagThinkClose, tagCallClose, tagAnswerClose:
			p.turn()
			p.count(id, i)
			e, _, _ := elementOf(id)
			p.unbalanced(e, i, "end tag without a start tag")
			pos = i + len(tagText[id])
		case tagResponseClose:
			p.turn()
			p.problem(UnbalancedTag, Error, i, "tool_response", "end tag without a start tag")
			pos = i + len(tagText[id])
		}
	}
}

// outside reports model text between elements in src[a:b].
func (p *parser) outside(a, b int) {
	if i := firstNonSpace(p.src, a, b); i >= 0 {
		p.turn()
		p.problem(TextOutsideTags, Warning, i, "", "model text outside <think>, <tool_call> and <answer>")
	}
}

// element reads the element e whose opening tag (openLen bytes) is at i and returns the
// position after it. Trajectory tags inside it are text (but counted); a tool response or
// ChatML marker before its end tag cuts it off.
func (p *parser) element(e element, i, openLen int) int {
	src := p.src
	inner := i + openLen
	j := inner
	end, closeAt := len(src), -1
	// An unclosed think ends at the first <tool_call> or <answer> in it: the model forgot
	// "</think>" and went on. What was counted from there on is counted again by the caller.
	cut, savedProblems := -1, 0
	var savedCounts [numElements]tagCount
	var savedReported [numElements]bool
	// the positions of every '<' a think's scan goes past, in order, for parseThoughts (in the
	// caller's buffer, which a think's scan may fill); full: there were more
	lts, full := p.lts[:0], false
scan:
	for {
		var k int
		var id tagID
		if e == elemThink {
			k, id, lts, full = nextTagRecording(src, j, lts, full)
		} else {
			k, id = nextTag(src, j)
		}
		if e == elemThink && cut < 0 && (id == tagCallOpen || id == tagAnswerOpen) {
			cut, savedCounts, savedProblems, savedReported = k, p.counts, len(p.problems), p.reported
		}
		switch {
		case id == tagNone:
			break scan
		case id == elementClose[e]:
			p.count(id, k)
			closeAt, end = k, k+len(tagText[id])
			break scan
		case id == tagResponseOpen || id == tagIMStart || id == tagIMEnd || id == tagEndOfText:
			end = k
			break scan
		case id == elementOpen[e]:
			p.count(id, k)
			p.unbalanced(e, k, "start tag inside the same element")
		default:
			p.count(id, k)
		}
		j = k + len(tagText[id])
	}
	closed := closeAt >= 0
	if !closed && cut >= 0 {
		p.counts, p.problems, p.reported = savedCounts, p.problems[:savedProblems], savedReported
		end = cut
	}
	if !closed {
		p.unbalanced(e, i, "no end tag before the end of the turn")
		closeAt = end
	}
	turn := p.turn()
	switch e {
	case elemThink:
		th := Think{Span: Span{i, end}, Inner: Span{inner, closeAt}, Text: src[inner:closeAt], Closed: closed}
		if !p.skipThoughts {
			th.Thoughts = p.parseThoughts(inner, closeAt, lts, full)
		} else if !p.sawThought {
			p.sawThought = p.holdsThought(inner, closeAt, lts, full)
		}
		p.thinks = append(p.thinks, th)
		turn.Thinks = p.thinks[p.curStart[0]:len(p.thinks):len(p.thinks)]
	case elemCall:
		if closed {
			p.calls = append(p.calls, ToolCall{Span: Span{i, end}, Inner: Span{inner, closeAt}, Raw: src[inner:closeAt]})
			turn.ToolCalls = p.calls[p.curStart[1]:len(p.calls):len(p.calls)]
		}
	case elemAnswer:
		if closed && turn.Answer == nil {
			raw := src[inner:closeAt]
			a := p.answer
			if a.Span.End != 0 { // taken by an earlier turn's answer
				a = new(Answer)
			}
			*a = Answer{Span: Span{i, end}, Inner: Span{inner, closeAt}, Raw: raw, Text: strings.TrimSpace(raw)}
			turn.Answer = a
		}
	}
	return end
}

// nextTagRecording is nextTag(s, from) appending the position of every '<' it looks at to
// lts while it has room (full: some did not fit).
func nextTagRecording(s string, from int, lts []int32, full bool) (int, tagID, []int32, bool) {
	for from < len(s) {
		i := indexLT(s, from)
		if i < 0 {
			break
		}
		if len(lts) < cap(lts) {
			lts = append(lts, int32(i))
		} else {
			full = true
		}
		if id := classify(s, i); id != tagNone {
			return i, id, lts, full
		}
		from = i + 1
	}
	return len(s), tagNone, lts, full
}

// responseAt reads the tool response opening at i, ending at its first end tag before limit,
// and attaches it to the latest turn.
func (p *parser) responseAt(i, limit int) int {
	src := p.src
	inner := i + len(tagText[tagResponseOpen])
	r := ToolResponse{Span: Span{i, limit}, Inner: Span{inner, limit}, Closed: false}
	if c := p.responseClose(limit, inner); c >= 0 {
		r.Inner.End = c
		r.Span.End = c + len(tagText[tagResponseClose])
		r.Closed = true
	} else {
		p.problem(UnbalancedTag, Error, i, "tool_response", "no end tag")
	}
	r.Text = src[r.Inner.Start:r.Inner.End]
	turn := p.lastTurn(i)
	if ti := len(p.t.Turns) - 1; ti != p.respTurn {
		p.respTurn, p.respStart = ti, len(p.responses)
	}
	p.responses = append(p.responses, r)
	turn.ToolResponses = p.responses[p.respStart:len(p.responses):len(p.responses)]
	return r.Span.End
}

// responseClose returns the first </tool_response> (any case) in src[from:limit], or -1. It
// also records ChatML markers in the (opaque) response text.
func (p *parser) responseClose(limit, from int) int {
	s := p.src[:limit]
	for from < len(s) {
		i := indexLT(s, from)
		if i < 0 {
			return -1
		}
		if hasPrefixFold(s[i:], tagText[tagResponseClose]) {
			return i
		}
		if !p.t.ChatML && i+1 < len(s) && s[i+1] == '|' &&
			(strings.HasPrefix(s[i:], tagText[tagIMStart]) || strings.HasPrefix(s[i:], tagText[tagIMEnd])) {
			p.t.ChatML = true
		}
		from = i + 1
	}
	return -1
}

// inlineResponse reads a tool response in model text (no ChatML message around it).
func (p *parser) inlineResponse(i int) int {
	return p.responseAt(i, len(p.src))
}

// message reads the ChatML message whose <|im_start|> is at i and returns where model text
// may resume: inside an assistant message, after the role line; after any other message.
func (p *parser) message(i int) int {
	src := p.src
	h := i + len(tagText[tagIMStart])
	nl := strings.IndexByte(src[h:], '\n')
	headerEnd := len(src)
	if nl >= 0 {
		headerEnd = h + nl + 1
	}
	role := strings.TrimSpace(src[h:headerEnd])
	if role == "assistant" {
		p.regionStart = headerEnd
		p.turn().StartMarker = true
		return headerEnd
	}
	end := len(src)
	after := len(src)
	if e := strings.Index(src[headerEnd:], tagText[tagIMEnd]); e >= 0 {
		end = headerEnd + e
		after = end + len(tagText[tagIMEnd])
	}
	if s := firstNonSpace(src, headerEnd, end); s >= 0 && hasPrefixFold(src[s:], tagText[tagResponseOpen]) {
		for pos := s; pos >= 0 && pos < end; {
			pos = p.responseAt(pos, end)
			if n := firstNonSpace(src, pos, end); n >= 0 && hasPrefixFold(src[n:end], tagText[tagResponseOpen]) {
				pos = n
			} else {
				break
			}
		}
	} else if len(p.t.Turns) == 0 {
		p.t.Prompt = append(p.t.Prompt, Message{Role: role, Content: src[headerEnd:end]})
	}
	return after
}

// checkCounts applies DeepResearcher's balance rule (equal counts, first end not before first
// start) over the model text, for elements without a structural problem already.
func (p *parser) checkCounts() {
	for e := range numElements {
		if p.reported[e] {
			continue
		}
		c := p.counts[e]
		switch {
		case c.open != c.close:
			off := c.firstOpen
			if off < 0 || (c.firstClose >= 0 && c.firstClose < off) {
				off = c.firstClose
			}
			p.unbalanced(e, off, "start and end tags differ in number")
		case c.close > 0 && c.firstClose < c.firstOpen:
			p.unbalanced(e, c.firstClose, "end tag before the first start tag")
		}
	}
}
