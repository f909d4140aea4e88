// Package agent is the rollout loop: it turns questions into trainable multi-turn trajectories.
//
// # The model
//
// A rollout starts from the chat template's rendering of the system prompt (DefaultSystemPrompt,
// a documented text/template; the tools' schemas are appended by the template), the question and
// the generation prompt, with "<think>" pre-filled as DeepResearcher does. Each turn, the policy
// (a Generator) continues until </tool_call>, </answer> or an end-of-sequence token; the turn is
// parsed with atom; tool calls run concurrently through a tools.Registry (a failing tool answers
// with its error, it never fails the group); the responses are appended as the template's tool
// turn and the next assistant turn opens. A rollout ends on an answer, an EOS, MaxTurns, the
// token budget (MaxResponseTokens, tool responses included) or a malformed tool call (or that
// call is answered with an error message: Config.Malformed).
//
// The token view is built as tokens are appended (tokenizer.Conversation), never by re-tokenizing
// text: sampled ids are kept as sampled, with their log-probs; Mask is 1 exactly on them and 0 on
// template tokens and tool responses. G rollouts of a question run as a group whose generations
// are batched turn by turn; Run bounds the groups in flight with an errgroup and stops on
// cancellation, returning what was generated: the rollouts cut short end with StopCanceled.
//
// Generator is the policy interface: RemoteGenerator talks to an OpenAI-compatible completions
// server (vLLM, SGLang) that returns token ids and log-probs. FromExpert builds the same Rollout
// from a scripted data.ExpertTrajectory, the SFT view.
//
// # Example
//
//	a := &agent.Agent{Tokenizer: tok, Generator: gen, Tools: registry}
//	groups, err := a.Run(ctx, questions, 16)
//	for _, r := range groups[0] {
//		fmt.Println(r.Stop, r.Answer, len(r.ResponseIDs), r.Mask, r.LogProbs)
//	}
//
// The package imports data (for expert trajectories), which is to its left in the data flow.
package agent
