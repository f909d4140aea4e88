package main

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/atomsearcher/atomsearcher/data"
	"github.com/atomsearcher/atomsearcher/model"
	"github.com/atomsearcher/atomsearcher/tokenizer"
	"github.com/atomsearcher/atomsearcher/tools"
	"github.com/atomsearcher/atomsearcher/train"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// evalWorld is the small synthetic world of the eval tests' run.
var evalWorld = data.WorldConfig{Seed: 3, People: 20, Films: 10, Cities: 8, Countries: 4, Organizations: 6,
	TrainQuestions: 20, DevQuestions: 4, TestQuestions: 2}

var evalRun struct {
	once sync.Once
	root string // removed by TestMain
	dir  string // the run directory
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if evalRun.root != "" {
		os.RemoveAll(evalRun.root)
	}
	os.Exit(code)
}

// tinyRunConfig is a run of sftSteps SFT steps (no GRPO) of a tiny model on evalWorld into out,
// evaluated on one question.
func tinyRunConfig(out string, sftSteps int) train.Config {
	cfg := train.Default()
	cfg.Out = out
	tiny := *cfg.Model.Tiny
	tiny.HiddenSize, tiny.IntermediateSize, tiny.NumHiddenLayers, tiny.NumAttentionHeads, tiny.NumKeyValueHeads = 32, 64, 1, 2, 1
	cfg.Model.Tiny = &tiny
	cfg.Data.World = evalWorld
	cfg.Agent.MaxTurns, cfg.Agent.MaxResponseTokens, cfg.Agent.MaxTurnTokens = 2, 64, 32
	cfg.SFT = train.SFTConfig{Steps: sftSteps, Batch: 2, MicroBatch: 2, LR: 1e-3, LRSchedule: "constant", ClipNorm: 1}
	cfg.GRPO.Steps = 0
	cfg.Eval.Questions = 1
	return cfg
}

// evalRunDir trains a tiny model for one SFT step (no GRPO) once per test binary and returns its
// run directory.
func evalRunDir(t *testing.T) string {
	t.Helper()
	evalRun.once.Do(func() {
		root, err := os.MkdirTemp("", "atomsearcher-eval-test-*")
		if err != nil {
			evalRun.err = err
			return
		}
		evalRun.root = root
		cfg := tinyRunConfig(filepath.Join(root, "run"), 1)
		_, evalRun.err = train.Run(context.Background(), cfg, train.RunOptions{})
		evalRun.dir = cfg.Out
	})
	require.NoError(t, evalRun.err)
	return evalRun.dir
}

func decodeEval(t *testing.T, out string) evalOutput {
	t.Helper()
	var got evalOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	return got
}

func checkResult(t *testing.T, r train.EvalResult, questions int) {
	t.Helper()
	assert.Equal(t, questions, r.Questions)
	for _, v := range []float64{r.F1, r.EM, r.FormatErrorRate} {
		assert.True(t, v >= 0 && v <= 1, "%v out of [0, 1]", v)
	}
	assert.GreaterOrEqual(t, r.ToolCalls, 0.0)
	assert.Equal(t, -1.0, r.MBE, "no answer judge")
	total := 0
	for _, s := range r.BySource {
		total += s.Questions
	}
	assert.Equal(t, questions, total)
}

func TestEvalSyntheticCheckpoint(t *testing.T) {
	run := evalRunDir(t)
	ckpt, err := train.LatestCheckpoint(run)
	require.NoError(t, err)
	require.NotEmpty(t, ckpt)

	cases := []struct {
		name string
		args []string
		want string // the checkpoint evaluated
		n    int
	}{
		{"checkpoint directory", []string{"eval", "--checkpoint", ckpt, "--questions", "2"}, ckpt, 2},
		{"run directory", []string{"eval", "--checkpoint", run, "--questions", "1", "--max-turns", "1"}, ckpt, 1},
		{"all dev questions", []string{"eval", "--checkpoint", ckpt, "--data", "synthetic", "--world-seed", "3"}, ckpt, evalWorld.DevQuestions},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", c.args...)
			require.Equal(t, 0, code, errOut)
			got := decodeEval(t, out)
			assert.Equal(t, c.want, got.Checkpoint)
			assert.Equal(t, "synthetic", got.Data)
			checkResult(t, got.EvalResult, c.n)
		})
	}
	// Greedy decoding: the same checkpoint on the same questions gives the same result.
	_, a, _ := runCLI(t, "", "eval", "--checkpoint", ckpt, "--questions", "2")
	_, b, _ := runCLI(t, "", "eval", "--checkpoint", ckpt, "--questions", "2")
	assert.JSONEq(t, a, b)
}

func TestEvalDatasetFileWithLocalIndex(t *testing.T) {
	ckpt, err := train.LatestCheckpoint(evalRunDir(t))
	require.NoError(t, err)
	dir := t.TempDir()
	w, err := data.NewWorld(evalWorld)
	require.NoError(t, err)
	_, dev, _, err := w.Questions()
	require.NoError(t, err)
	devFile := filepath.Join(dir, "dev.jsonl")
	require.NoError(t, data.WriteFile(devFile, data.Examples(dev)))
	docs := func(yield func(tools.Document, error) bool) {
		for _, p := range w.Passages() {
			if !yield(tools.Document{ID: p.ID, Title: p.Title, URL: p.URL, Text: p.Text}, nil) {
				return
			}
		}
	}
	indexDir := filepath.Join(dir, "index")
	idx, err := tools.BuildLocalIndex(context.Background(), indexDir, iter.Seq2[tools.Document, error](docs))
	require.NoError(t, err)
	require.NoError(t, idx.Close())

	code, out, errOut := runCLI(t, "", "eval", "--checkpoint", ckpt, "--data", devFile, "--search", "local", "--index", indexDir, "--questions", "3")
	require.Equal(t, 0, code, errOut)
	got := decodeEval(t, out)
	assert.Equal(t, devFile, got.Data)
	checkResult(t, got.EvalResult, 3)
}

func TestEvalHuggingFaceDirectoryWithoutRunState(t *testing.T) {
	// A model directory that no run wrote: config.json, model.safetensors and tokenizer.json only.
	env, err := train.BuildSyntheticEnvironment(context.Background(), train.DataConfig{World: evalWorld}, 2)
	require.NoError(t, err)
	defer env.Close()
	tok, err := train.SyntheticTokenizer(env, train.SyntheticSystemPrompt)
	require.NoError(t, err)
	dir := t.TempDir()
	cfg := model.TinyConfig()
	cfg.VocabSize = tok.VocabSize()
	m, err := model.New(cfg, model.InitOptions{Seed: 1})
	require.NoError(t, err)
	require.NoError(t, m.Save(dir, model.SaveOptions{}))
	m.Free()
	require.NoError(t, tok.Save(filepath.Join(dir, "tokenizer.json")))
	_, err = tokenizer.Load(filepath.Join(dir, "tokenizer.json"))
	require.NoError(t, err)

	code, out, errOut := runCLI(t, "", "eval", "--checkpoint", dir, "--world-seed", "3", "--questions", "1",
		"--max-turns", "1", "--max-turn-tokens", "16", "--max-response-tokens", "64")
	require.Equal(t, 0, code, errOut)
	checkResult(t, decodeEval(t, out).EvalResult, 1)
}

func TestEvalWithAnswerJudge(t *testing.T) {
	ckpt, err := train.LatestCheckpoint(evalRunDir(t))
	require.NoError(t, err)
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id": "x", "object": "chat.completion", "created": 1, "model": "mbe", "choices": [{"index": 0,
			"finish_reason": "stop", "message": {"role": "assistant", "content": "{\"rationale\": \"same\", \"judgement\": \"correct\"}"}}]}`)
	}))
	defer srv.Close()
	code, out, errOut := runCLI(t, "", "eval", "--checkpoint", ckpt, "--questions", "2", "--answers", "--mbe-url", srv.URL+"/v1", "--mbe-model", "mbe")
	require.Equal(t, 0, code, errOut)
	got := decodeEval(t, out)
	require.Equal(t, 2, got.Questions)
	require.Len(t, got.Answers, 2)
	// The judge says "correct" to every answer it is asked about; empty answers are incorrect
	// without a call and exact matches correct without one. So MBE counts the non-empty answers.
	nonEmpty := 0
	for _, a := range got.Answers {
		if a != "" {
			nonEmpty++
		}
	}
	assert.InDelta(t, float64(nonEmpty)/2, got.MBE, 1e-12)
	assert.LessOrEqual(t, calls.Load(), int64(nonEmpty))
}

func TestEvalErrors(t *testing.T) {
	dir := t.TempDir()
	partial := filepath.Join(dir, "partial")
	require.NoError(t, os.MkdirAll(partial, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(partial, "config.json"), []byte("{}"), 0o644))
	emptyRun := filepath.Join(dir, "emptyrun")
	require.NoError(t, os.MkdirAll(filepath.Join(emptyRun, "checkpoints"), 0o755))
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	ckpt := partial // flags are checked before the checkpoint is read

	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no checkpoint flag", []string{}, 2, "--checkpoint is required"},
		{"unknown flag", []string{"--checkpoint", ckpt, "--bogus"}, 2, "flag provided but not defined: -bogus"},
		{"extra argument", []string{"--checkpoint", ckpt, "extra"}, 2, `unexpected argument "extra"`},
		{"bad data", []string{"--checkpoint", ckpt, "--data", "questions.csv"}, 2, `--data "questions.csv"`},
		{"bad search", []string{"--checkpoint", ckpt, "--data", "q.jsonl", "--search", "bing"}, 2, `--search "bing"`},
		{"index with synthetic", []string{"--checkpoint", ckpt, "--index", dir}, 2, "--index is for a dataset file"},
		{"search with synthetic", []string{"--checkpoint", ckpt, "--search", "local"}, 2, "--search is for a dataset file"},
		{"world seed with a file", []string{"--checkpoint", ckpt, "--data", "q.jsonl", "--world-seed", "2"}, 2, "--world-seed is for --data synthetic"},
		{"negative questions", []string{"--checkpoint", ckpt, "--questions", "-1"}, 2, "--questions must be >= 0"},
		{"negative max turns", []string{"--checkpoint", ckpt, "--max-turns", "-2"}, 2, "--max-turns must be >= 0"},
		{"mbe url without model", []string{"--checkpoint", ckpt, "--mbe-url", "http://localhost:1/v1"}, 2, "--mbe-url needs --mbe-model"},
		{"missing checkpoint", []string{"--checkpoint", filepath.Join(dir, "nope")}, 1, "nope does not exist"},
		{"checkpoint is a file", []string{"--checkpoint", file}, 1, "is not a directory"},
		{"incomplete checkpoint", []string{"--checkpoint", partial}, 1, "has no model.safetensors, tokenizer.json"},
		{"run without checkpoints", []string{"--checkpoint", emptyRun}, 1, "has no complete checkpoint"},
		{"not a model directory", []string{"--checkpoint", dir}, 1, "has no config.json, model.safetensors, tokenizer.json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", append([]string{"eval"}, c.args...)...)
			assert.Equal(t, c.code, code, errOut)
			assert.Contains(t, errOut, c.want)
		})
	}
}

func TestEvalMissingDatasetAndIndex(t *testing.T) {
	ckpt, err := train.LatestCheckpoint(evalRunDir(t))
	require.NoError(t, err)
	dir := t.TempDir()
	devFile := filepath.Join(dir, "dev.jsonl")
	require.NoError(t, data.WriteFile(devFile, []data.Example{{Question: "q?", Answers: []string{"a"}}}))
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing dataset", []string{"--data", filepath.Join(dir, "nope.jsonl"), "--index", dir}, "data.train"},
		{"local search without index", []string{"--data", devFile}, "agent.index"},
		{"searxng without url", []string{"--data", devFile, "--search", "searxng"}, "agent.url"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", append([]string{"eval", "--checkpoint", ckpt}, c.args...)...)
			assert.Equal(t, 1, code, errOut)
			assert.Contains(t, errOut, c.want)
		})
	}
}
