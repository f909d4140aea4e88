// Package tokenizer runs Hugging Face tokenizer.json files in pure Go, id for id, and renders
// Qwen's chat template, with the token-level view of a conversation (ids plus the assistant
// loss mask) that rollouts and SFT need. It needs no cgo.
//
// # The model
//
// A Tokenizer is the HF pipeline: added tokens (<|im_start|>, <think>, ...) are matched in the
// input first, leftmost and longest; the text between them is normalized (NFC, Lowercase, ...),
// pre-tokenized (the Split regex of Qwen/Llama-3, Whitespace, ...), and each pre-token goes
// through the model (byte-level BPE, or WordLevel); a decoder (ByteLevel, WordPiece, Fuse, ...)
// turns ids back into text. Encode returns ids and, per token, the byte range of the input it
// came from. A component this package cannot run exactly as HF does is refused at load time
// with an *UnsupportedError naming it, never approximated.
//
// Parity: the 506 texts of tokenizer-golden.jsonl and 367 edge-case and random texts get the ids
// HF tokenizers (Rust) gives, offsets included; Decode(Encode(x)) == NFC(x). The Qwen/Llama-3
// Split regex (lookahead, \p{L}, \p{N}, case-insensitive contractions) runs on a hand-written
// scanner, checked against the regex itself on random text; any other Split regex runs on
// github.com/dlclark/regexp2, a backtracking engine with Oniguruma's lookaround and
// leftmost-first alternation (Go's regexp has no lookahead).
//
// Where this package differs from HF on purpose: an unknown id is an error in Decode (HF skips
// it); text that NFC changes gets offsets covering all the input characters a normalized one
// came from (HF's cover only the first); a tokenizer.json with truncation enabled is refused.
//
// # Chat
//
// RenderChat is Qwen3's chat template (system, user, assistant with thinking and tool calls,
// tool results, the tools list, add_generation_prompt, enable_thinking) written in Go, checked
// character for character against the Jinja template. A Conversation is the token-level view,
// built piece by piece: every piece is encoded on its own and appended, so the mask says which
// tokens the assistant produced because of where they were appended, never by re-tokenizing
// rendered text and searching it. The agent's loop:
//
//	conv, _ := tok.NewConversation(tokenizer.ChatOptions{Tools: tools})
//	conv.AddMessages(system, user)         // mask 0
//	conv.AddGenerationPrompt()             // "<|im_start|>assistant\n", mask 0
//	conv.AddAssistantText("<think>", false) // the pre-fill, mask 0
//	conv.AddGenerated(sampledIDs)          // the policy's ids as sampled, mask 1; ends the turn at <|im_end|>
//	conv.AddMessages(toolResults...)       // one call per turn; "\n<|im_start|>user\n<tool_response>…", mask 0
//	conv.AddGenerationPrompt()             // and so on
//	ids, mask, spans := conv.IDs(), conv.Mask(), conv.Segments()
//
// The text of the pieces is what the template renders for the same messages, so Text() equals
// RenderChat(Messages()) and, for ChatML (every boundary sits at an added token or after
// "assistant\n"), IDs() equals Encode(Text()); the tests check both on the template goldens.
// EncodeChat gives the same view of a finished chat (the SFT view: assistant bodies trainable).
//
// # Tiny models
//
// NewWordLevel builds a WordLevel tokenizer from a word list (VocabularyFromCorpus makes one
// from a corpus), special tokens (ChatMLSpecialTokens), added tokens (AgentTokens, and atomic
// thought tags such as <PLAN>) and [UNK]; its Save writes a tokenizer.json that HF tokenizers
// loads and encodes identically (checked through the Node binding). SplitExact keeps spaces and
// punctuation as tokens, so decoded text is the original text and tool-call JSON survives;
// SplitSpacePrefixed lets a word carry its leading space (fewer tokens), and SplitSyllables also
// cuts capitalized words into consonant-vowel syllables, so that invented names share a small,
// well-trained vocabulary and a small model can copy a name it never saw.
//
// # Example
//
//	tok, err := tokenizer.Load("tokenizer.json")
//	if err != nil { ... }
//	enc := tok.Encode("Who directed Parasite?")
//	text, _ := tok.Decode(enc.IDs)
//	eos, _ := tok.TokenID("<|im_end|>")
package tokenizer
