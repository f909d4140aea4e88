// Package rrm holds reasoning reward models: judges that score each atomic thought of an
// agent's trajectory (Atom-Searcher's process reward), and the answer judge used to evaluate
// final answers ("MBE").
//
// # Model
//
// A [Judge] takes an [Input] (question, parsed [atom.Trajectory], optional gold answers) and
// returns a [Result]: one score in [0,1] per atomic thought, aligned with
// Trajectory.Thoughts(), plus the judge's reasons and raw output. The reward package aggregates
// these scores into R_atom. [ScoreBatch] runs a judge over many trajectories with a bounded
// number of calls in flight and reports per-item failures in a [*BatchError].
//
// [LLMJudge] asks an LLM behind any OpenAI-compatible chat-completions endpoint (vLLM, SGLang,
// OpenAI) through the official openai-go SDK. Because it runs for every rollout of every
// training step, it is built as a service client: a per-attempt timeout, retries with full-jitter
// exponential backoff on 429/5xx/timeouts honouring Retry-After, a retry budget shared by all
// requests, prompt cancellation through the context, an optional client-side rate limit, a
// response-size cap (all in [ClientConfig]), and a cache keyed by (judge model, prompt version,
// rendered prompt) in memory and optionally in a bbolt file, so re-scoring a replayed rollout
// costs no request. [Heuristic] is an offline, deterministic lexical proxy for when no judge
// server exists (tests, the embedded default run). [AnswerJudge] decides whether a predicted
// answer is semantically equal to a gold one.
//
// # The prompt and the score scale (ours)
//
// Atom-Searcher does not publish its RRM prompt or scale; this design is ours. The shipped
// template (prompt.tmpl, version [DefaultPromptVersion]) shows the question, the reference
// answers when given, and the trajectory turn by turn: every atomic thought numbered [1], [2], ...
// with its tag, then the turn's tool calls (or final answer), then its tool responses truncated
// to [DefaultMaxObservationChars]. It asks for three integer ratings from 0 to 10 per thought,
// with a one-sentence reason, as {"thoughts": [{"index", "tag", "usefulness", "correctness",
// "grounding", "reason"}]}:
//
//   - usefulness: does the thought move the agent toward the answer?
//   - correctness: is it logically and factually right given what is known so far?
//   - grounding: are its claims supported by the question or by earlier tool responses?
//
// A thought's score is the mean of the three divided by 10. Rationale: a single holistic number
// from an LLM judge clusters on a few values and mixes up failure modes; three anchored axes
// spread the scores and name the two failures that matter in deep research (drifting plans and
// hallucinated facts). Numbering plus an echoed index makes the alignment between scores and
// thoughts checkable: a reply that misses, repeats or adds a thought is a [*ThoughtCountError],
// never a silent zero. Observations are truncated because the judge must know what the agent
// saw, not re-read whole pages; the thoughts themselves are never truncated. "Judge each thought
// only by what the agent knew when it wrote it" prevents hindsight from penalising a reasonable
// early plan. Gold answers are shown (when given) to help judge correctness; leave Input.Gold
// empty for a judge that cannot leak the answer into the process reward. A custom prompt is a
// template defining "system" and "user" over [PromptData] ([ParsePrompt]); give it a new
// version so the cache does not mix the two.
//
// Replies are read robustly ([ExtractJSON]): response_format json_schema is requested (falling
// back to JSON mode when the server rejects it), then reasoning <think> blocks, code fences,
// surrounding prose, single quotes, Python literals and trailing commas are tolerated; scores may
// be strings; a reply on a 0-1 scale (fractions all within [0,1]) or a percentage scale (values
// above 10) is normalized to [0,1]; negative or > 100 values are errors.
//
// # The heuristic
//
// [Heuristic] is clearly a proxy: it checks that a PLAN/ACTION names the question's words (or
// builds on them and the tool responses) and the words of the tool call it leads to, that an
// OBSERVATION/REFLECTION is grounded in the latest tool response and the question, and that a
// VERIFICATION contains the final answer and is grounded in earlier tool responses (see its
// documentation for the formulas). It cannot tell a correct inference from a wrong one with the
// same words. Its version 2 scores a complete multi-hop trajectory at least as high as one that
// stops after the first search; version 1 did not, and the hybrid reward then paid for skipping
// hops.
//
// # Example
//
//	judge, err := rrm.NewLLMJudge(rrm.LLMJudgeConfig{Client: rrm.ClientConfig{
//		BaseURL: "http://localhost:8000/v1", Model: "Qwen/Qwen3-30B-A3B",
//		Timeout: time.Minute, CachePath: "runs/rrm-cache.db",
//	}})
//	if err != nil { ... }
//	defer judge.Close()
//	traj := atom.Parse(text, atom.Options{})
//	res, err := judge.Score(ctx, rrm.Input{Question: q, Trajectory: traj})
//	// res.Scores[i] scores traj.Thoughts()[i]
package rrm
