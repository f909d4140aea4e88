package atom

// arena holds what a typical trajectory needs, allocated at once; the slabs of parser start in
// it and move to the heap if they outgrow it. The slices cut from it have their capacity limited.
// smallArena is the one for texts under smallText bytes (a single answer turn, say), and
// mediumArena the one for texts under mediumText bytes.
type arena struct {
	t         Trajectory
	answer    Answer
	turns     [6]Turn
	thinks    [6]Think
	calls     [8]ToolCall
	responses [8]ToolResponse
	thoughts  [24]Thought
	problems  [4]Problem
	lts       [64]int32
}

const smallText = 1024

// mediumArena is the one for texts under mediumText bytes: a tool call, its response and two
// thinks, or an answer after a long think.
type mediumArena struct {
	t         Trajectory
	answer    Answer
	turns     [2]Turn
	thinks    [2]Think
	calls     [2]ToolCall
	responses [2]ToolResponse
	thoughts  [10]Thought
	problems  [4]Problem
	lts       [32]int32
}

const mediumText = 4096

type smallArena struct {
	t         Trajectory
	answer    Answer
	turns     [1]Turn
	thinks    [1]Think
	calls     [1]ToolCall
	responses [1]ToolResponse
	thoughts  [4]Thought
	problems  [2]Problem
	lts       [16]int32
}
