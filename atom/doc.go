// Package atom reads and writes the trajectory format of agentic deep-research models: the
// DeepResearcher turn format with Atom-Searcher's atomic thoughts.
//
// # The model
//
// A trajectory is a sequence of assistant turns (Qwen ChatML). Each turn is a <think>…</think>
// followed by either tool calls <tool_call>{"name": …, "arguments": …}</tool_call> or an
// <answer>…</answer>; the tools' results come back as <tool_response>…</tool_response> blocks
// (inline, or in a ChatML user message) before the next turn. Inside a think, the top-level
// elements <NAME>…</NAME> (NAME matching [A-Za-z][A-Za-z0-9_]*, any case, not a trajectory tag)
// are atomic thoughts: <PLAN>, <REFLECTION>, <VERIFICATION>, ... — an open set the model learns.
// Tool responses and non-assistant messages are opaque: a web page quoting "<answer>" is never
// taken as the model's answer.
//
// Parse turns text into a Trajectory: every element with the byte span [start, end) of the
// whole element (opening '<' to closing '>') and of its inner text, so callers can map them to
// tokens with ToTokenSpans (loss masks, per-thought credit). Parse never fails: what the text
// gets wrong is listed in Trajectory.Problems, typed (Kind) and positioned (byte Offset).
// Errors — unbalanced_tag, missing_answer, bad_tool_call, unknown_tool, bad_tool_arguments —
// make Trajectory.OK false, which the reward package turns into the format penalty; warnings —
// unclosed_thought, text_outside_tags, no_atomic_thoughts — do not. Options choose the allowed
// tools and whether atomic thoughts are required (by default they are not: a DeepResearcher
// trajectory with a plain think is OK, with the no_atomic_thoughts warning).
//
// Render is the inverse of Parse on well-formed input (the canonical layout Render writes); it
// builds SFT data from turns made with NewThink, NewToolCall and NewAnswer.
//
// # Example
//
//	t := atom.Parse(response, atom.Options{})
//	if !t.OK() {
//		// format error: t.Errors() says where
//	}
//	for _, th := range t.Thoughts() {
//		fmt.Println(th.Canonical(), th.Text, th.Span)
//	}
//	if a := t.Answer(); a != nil {
//		fmt.Println(a.Text)
//	}
//
// # Performance
//
// Parse scans each byte once (tags are found from '<' with a byte search; a think's atomic
// thoughts from the '<' positions its scan recorded), builds a trajectory in one arena
// allocation for the common shapes, and decodes tool calls with its own JSON decoder. A Parser
// does the same in memory it reuses from one text to the next (the result is valid until its
// next Parse), which saves the arena and keeps the memory in cache: use it to check rollouts
// one after the other. bench/atom.sh compares both with a Python regex implementation of the
// same checks on 10k realistic trajectories (75 MB), single-threaded (GOMAXPROCS=1),
// alternating rounds, in CPU time, against Debian's optimized python3 (bench/results/atom.txt,
// load averages about 1): Parse about 1.1 GB/s, 20x the Python peer (a new trajectory per text:
// its allocations' collection runs on the one thread too); Parser about 2.1 GB/s, 38x. The 29-30x
// recorded for Parse before came from runs whose reported pass had the default GOMAXPROCS (the
// collector on the second core) against a slower python3 build; the code did not get slower (an
// A/B against that commit: 68-70 ms per 10k trajectories both).
//
// A caller that needs the verdict and the answer only (the reward package) can set
// Parser.SkipArgs (tool calls' arguments are checked without building their Args maps) and
// Parser.SkipThoughts (thinks get no Thoughts; whether one holds a thought is still found): the
// problems are the same but for unclosed_thought warnings.
//
// The package needs no cgo.
package atom
