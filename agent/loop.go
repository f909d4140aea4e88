package agent

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/atomsearcher/atomsearcher/atom"
	"github.com/atomsearcher/atomsearcher/tokenizer"
	"github.com/atomsearcher/atomsearcher/tools"
)

// rollout is the state of one trajectory being generated.
type rollout struct {
	r         *Rollout
	conv      *tokenizer.Conversation
	logprobs  []float64 // aligned with conv.IDs()
	promptLen int
	done      bool
	calls     []pendingCall // tool calls of the current turn
}

type pendingCall struct {
	name, args string
	reply      string // set for a malformed call answered with an error
}

// Run generates g rollouts for each question. Config.BatchGroups groups share each generation
// call (their rollouts are one batch, turn by turn), and at most Config.Concurrency such batches
// run at a time. The result is indexed [question][sample]. Tool failures never fail a group (the
// policy reads the error); a Generator error or a canceled context fails the call. When the
// context is canceled, Run returns what was generated with the error (which wraps ctx.Err()):
// every rollout of a started batch, those cut short ending with StopCanceled; the groups of
// batches that never started are nil.
func (a *Agent) Run(ctx context.Context, questions []string, g int) ([][]Rollout, error) {
	p, err := a.prompt()
	if err != nil {
		return nil, err
	}
	out := make([][]Rollout, len(questions))
	eg, ctx := errgroup.WithContext(ctx)
	eg.SetLimit(p.cfg.Concurrency)
	for first := 0; first < len(questions); first += p.cfg.BatchGroups {
		chunk := questions[first:min(first+p.cfg.BatchGroups, len(questions))]
		eg.Go(func() error {
			groups, err := a.runGroups(ctx, p, chunk, first, g)
			copy(out[first:], groups) // partial groups of a canceled batch too
			return err
		})
	}
	err = eg.Wait()
	return out, err
}

// RunGroup generates g rollouts of one question; their generations are batched turn by turn. On
// a canceled context it returns the rollouts with the error, as Run does.
func (a *Agent) RunGroup(ctx context.Context, question string, g int) ([]Rollout, error) {
	p, err := a.prompt()
	if err != nil {
		return nil, err
	}
	groups, err := a.runGroups(ctx, p, []string{question}, 0, g)
	if len(groups) == 0 {
		return nil, err
	}
	return groups[0], err
}

// runGroups generates g rollouts for each of questions (groups firstGroup, firstGroup+1, ...),
// all of them batched together turn by turn. When ctx is canceled it ends the unfinished
// rollouts with StopCanceled and returns every rollout with an error wrapping ctx.Err().
func (a *Agent) runGroups(ctx context.Context, p *prompt, questions []string, firstGroup, g int) ([][]Rollout, error) {
	if g <= 0 {
		return nil, fmt.Errorf("agent: group size must be positive, got %d", g)
	}
	if a.Generator == nil {
		return nil, fmt.Errorf("agent: no generator")
	}
	start := time.Now()
	states := make([]*rollout, 0, g*len(questions))
	for qi, question := range questions {
		for s := range g {
			conv, err := p.start(a.Tokenizer, question)
			if err != nil {
				return nil, err
			}
			states = append(states, &rollout{
				r:         &Rollout{Question: question, Group: firstGroup + qi, Sample: s},
				conv:      conv,
				logprobs:  make([]float64, conv.Len()),
				promptLen: conv.Len(),
			})
		}
	}
	for turn := 0; ; turn++ {
		var active []*rollout
		var reqs []Request
		for _, st := range states {
			if st.done {
				continue
			}
			left := p.cfg.MaxResponseTokens - (st.conv.Len() - st.promptLen)
			if left <= 0 {
				a.finish(st, StopBudget)
				continue
			}
			active = append(active, st)
			reqs = append(reqs, Request{IDs: st.conv.IDs(), MaxNewTokens: min(left, p.cfg.MaxTurnTokens)})
		}
		if len(active) == 0 {
			break
		}
		if ctx.Err() != nil {
			return a.canceled(ctx, states, len(questions), g, start)
		}
		params := p.cfg.Sampling
		if params.Seed != 0 {
			params.Seed += uint64(firstGroup)*1_000_003 + uint64(turn)*7919
		}
		comps, err := a.Generator.Generate(ctx, reqs, params)
		if err != nil {
			if ctx.Err() != nil {
				return a.canceled(ctx, states, len(questions), g, start)
			}
			return nil, fmt.Errorf("agent: generate: %w", err)
		}
		if len(comps) != len(reqs) {
			return nil, fmt.Errorf("agent: generator returned %d completions for %d requests", len(comps), len(reqs))
		}
		var needTools []*rollout
		for i, st := range active {
			if err := a.absorb(p, st, comps[i], turn); err != nil {
				return nil, err
			}
			if !st.done {
				needTools = append(needTools, st)
			}
		}
		if err := a.runTools(ctx, p, needTools, turn); err != nil {
			if ctx.Err() != nil {
				return a.canceled(ctx, states, len(questions), g, start)
			}
			return nil, err
		}
		for _, st := range needTools {
			if st.done {
				continue
			}
			if err := a.appendResponses(p, st); err != nil {
				return nil, err
			}
		}
	}
	return collect(states, len(questions), g, start), nil
}

// canceled ends every unfinished rollout with StopCanceled and returns them all with ctx's error.
func (a *Agent) canceled(ctx context.Context, states []*rollout, questions, g int, start time.Time) ([][]Rollout, error) {
	for _, st := range states {
		a.finish(st, StopCanceled)
	}
	return collect(states, questions, g, start), fmt.Errorf("agent: %w", ctx.Err())
}

// collect arranges finished rollouts by [question][sample].
func collect(states []*rollout, questions, g int, start time.Time) [][]Rollout {
	out := make([][]Rollout, questions)
	for qi := range out {
		out[qi] = make([]Rollout, g)
		for s := range g {
			st := states[qi*g+s]
			st.r.Duration = time.Since(start)
			out[qi][s] = *st.r
		}
	}
	return out
}

// absorb appends a completion to its rollout and decides what comes next: the end (answer, EOS,
// budget, malformed call, max turns) or the tool calls to run.
func (a *Agent) absorb(p *prompt, st *rollout, c Completion, turn int) error {
	if len(c.LogProbs) != len(c.IDs) {
		return fmt.Errorf("agent: completion has %d ids but %d log-probs", len(c.IDs), len(c.LogProbs))
	}
	st.r.Turns = turn + 1
	if err := st.conv.AddGenerated(c.IDs); err != nil {
		return fmt.Errorf("agent: %w", err)
	}
	st.logprobs = append(st.logprobs, c.LogProbs...)
	text, err := a.Tokenizer.Decode(c.IDs)
	if err != nil {
		return fmt.Errorf("agent: %w", err)
	}
	parsed := atom.Parse(text, atom.Options{Tools: p.names, PrefilledThink: turn == 0 && !p.cfg.NoPrefill})
	var t *atom.Turn
	if n := len(parsed.Turns); n > 0 {
		t = &parsed.Turns[n-1]
	}
	switch {
	case t != nil && t.Answer != nil:
		a.finish(st, StopAnswer)
		return nil
	case t != nil && len(t.ToolCalls) > 0 && strings.Contains(text, "</tool_call>"):
	case c.Finish == FinishLength:
		a.finish(st, StopBudget)
		return nil
	default:
		a.finish(st, StopEOS)
		return nil
	}
	if turn+1 >= p.cfg.MaxTurns {
		a.finish(st, StopMaxTurns)
		return nil
	}
	bad := map[int]string{} // tool call index → problem
	for _, prob := range parsed.Problems {
		if prob.Kind != atom.BadToolCall && prob.Kind != atom.UnknownTool && prob.Kind != atom.BadToolArguments {
			continue
		}
		for i, call := range t.ToolCalls {
			if prob.Offset >= call.Span.Start && prob.Offset < call.Span.End {
				bad[i] = prob.Error()
			}
		}
	}
	st.calls = st.calls[:0]
	for i, call := range t.ToolCalls {
		pc := pendingCall{name: call.Name, args: string(call.Arguments)}
		if msg, isBad := bad[i]; isBad || call.Name == "" {
			if p.cfg.Malformed == EndOnMalformed {
				a.finish(st, StopMalformed)
				return nil
			}
			if msg == "" {
				msg = "the tool call is not valid JSON with a name"
			}
			pc.reply = "Error: malformed tool call: " + msg
		}
		st.calls = append(st.calls, pc)
	}
	return nil
}

// runTools runs the pending tool calls of all rollouts concurrently. A failing tool gives its
// error as the response; only a canceled context fails the step.
func (a *Agent) runTools(ctx context.Context, p *prompt, sts []*rollout, turn int) error {
	type job struct {
		st *rollout
		i  int
	}
	var jobs []job
	for _, st := range sts {
		st.r.Tools = append(st.r.Tools, make([]ToolCallLog, len(st.calls))...)
		for i := range st.calls {
			jobs = append(jobs, job{st, i})
		}
	}
	var eg errgroup.Group
	eg.SetLimit(p.cfg.ToolConcurrency)
	for _, j := range jobs {
		eg.Go(func() error {
			call := j.st.calls[j.i]
			log := ToolCallLog{Turn: turn, Name: call.name, Arguments: call.args}
			begin := time.Now()
			switch {
			case call.reply != "":
				log.Response, log.Error = call.reply, call.reply
			case a.Tools == nil:
				log.Error = "no tools configured"
				log.Response = "Error: " + log.Error
			default:
				tctx := ctx
				if p.cfg.ToolTimeout > 0 {
					var cancel context.CancelFunc
					tctx, cancel = context.WithTimeout(ctx, p.cfg.ToolTimeout)
					defer cancel()
				}
				res, err := a.Tools.Call(tctx, call.name, []byte(call.args))
				if err != nil {
					log.Error = err.Error()
					log.Response = "Error: " + err.Error()
					var argErr *tools.ArgumentError
					if !errors.As(err, &argErr) && ctx.Err() != nil {
						return fmt.Errorf("agent: tool %s: %w", call.name, ctx.Err())
					}
				} else {
					log.Response = res.Text
				}
			}
			log.Duration = time.Since(begin)
			j.st.r.Tools[len(j.st.r.Tools)-len(j.st.calls)+j.i] = log
			return nil
		})
	}
	return eg.Wait()
}

// appendResponses closes the turn, appends the tool responses as the template's tool turn and
// opens the next assistant turn, unless that would pass the budget.
func (a *Agent) appendResponses(p *prompt, st *rollout) error {
	if err := a.closeTurn(st); err != nil {
		return err
	}
	logs := st.r.Tools[len(st.r.Tools)-len(st.calls):]
	msgs := make([]tokenizer.Message, len(logs))
	for i, l := range logs {
		msgs[i] = tokenizer.Message{Role: "tool", Content: l.Response}
	}
	if err := st.conv.AddMessages(msgs...); err != nil {
		return fmt.Errorf("agent: %w", err)
	}
	if st.conv.Len()-st.promptLen >= p.cfg.MaxResponseTokens {
		a.finish(st, StopBudget)
		return nil
	}
	if err := st.conv.AddGenerationPrompt(); err != nil {
		return fmt.Errorf("agent: %w", err)
	}
	st.pad()
	return nil
}

// closeTurn ends an assistant turn the generation left open (stopped at a stop string or by
// length) with the template's <|im_end|>, outside the mask.
func (a *Agent) closeTurn(st *rollout) error {
	// ErrNoTurn: the policy closed the turn itself with <|im_end|>, or it is already closed.
	if err := st.conv.EndAssistantTurn(); err != nil && !errors.Is(err, tokenizer.ErrNoTurn) {
		return fmt.Errorf("agent: %w", err)
	}
	st.pad()
	return nil
}

// pad extends the log-probs with zeros over tokens the policy did not sample.
func (st *rollout) pad() {
	for len(st.logprobs) < st.conv.Len() {
		st.logprobs = append(st.logprobs, 0)
	}
}

// finish closes the rollout and fills its output.
func (a *Agent) finish(st *rollout, why StopReason) {
	if st.done {
		return
	}
	st.done = true
	st.r.Stop = why
	_ = a.closeTurn(st) // only fails on a tokenizer error, which the last append already hit
	ids := st.conv.IDs()
	mask := st.conv.Mask()
	st.r.PromptIDs = append([]int(nil), ids[:st.promptLen]...)
	st.r.ResponseIDs = append([]int(nil), ids[st.promptLen:]...)
	st.r.Mask = make([]int, len(st.r.ResponseIDs))
	for i, m := range mask[st.promptLen:] {
		if m {
			st.r.Mask[i] = 1
		}
	}
	st.r.LogProbs = append([]float64(nil), st.logprobs[st.promptLen:]...)
	st.r.Text, _ = a.Tokenizer.Decode(st.r.ResponseIDs)
	st.r.Parsed = atom.Parse(st.r.Text, atom.Options{Tools: a.toolNames(), PrefilledThink: !a.Config.NoPrefill})
	if ans := st.r.Parsed.Answer(); ans != nil {
		st.r.Answer = ans.Text
	}
}

func (a *Agent) toolNames() []string {
	if a.Tools == nil {
		return []string{}
	}
	return a.Tools.Names()
}
