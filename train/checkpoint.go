package train

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/atomsearcher/atomsearcher/agent"
	"github.com/atomsearcher/atomsearcher/model"
	"github.com/atomsearcher/atomsearcher/tokenizer"
)

// TrainingState is what a checkpoint records besides the weights and the optimizer: where the
// run is, and the state of what changes from step to step. Question sampling and generation
// seeds are functions of (seed, step), so they need no state.
type TrainingState struct {
	// Phase is "sft" or "grpo"; Step the number of steps of that phase done.
	Phase string `json:"phase"`
	Step  int    `json:"step"`
	// EntropyRegulator is the regulator's state (SWERM's window and coefficient).
	EntropyRegulator json.RawMessage `json:"entropy_regulator,omitempty"`
	// SFTEval is the evaluation after SFT, kept so a resumed run reports it.
	SFTEval *EvalResult `json:"sft_eval,omitempty"`
	// Config is the run's configuration.
	Config Config `json:"config"`
}

const (
	optimizerFile = "optimizer.pt"
	stateFile     = "state.json"
)

// checkpointName orders checkpoints: every SFT one before every GRPO one, then by step.
func checkpointName(phase string, step int) string {
	order := map[string]int{"sft": 0, "grpo": 1}[phase]
	return fmt.Sprintf("%d-%s-%06d", order, phase, step)
}

// regulatorState is implemented by entropy regulators whose state survives a checkpoint.
type regulatorState interface {
	json.Marshaler
	json.Unmarshaler
}

// SaveCheckpoint writes the policy (Hugging Face layout, loadable by transformers), the
// tokenizer, the optimizer state and the training state into checkpoints/<name> of the run
// directory. It writes into a temporary directory and renames it into place, so a checkpoint
// directory is always complete; then it deletes all but the newest keep checkpoints.
func (t *Trainer) SaveCheckpoint(run *RunDir, st TrainingState, keep int) (string, error) {
	root := filepath.Join(run.Path, "checkpoints")
	final := filepath.Join(root, checkpointName(st.Phase, st.Step))
	tmp, err := os.MkdirTemp(root, ".tmp-")
	if err != nil {
		return "", fmt.Errorf("train: checkpoint: %w", err)
	}
	fail := func(err error) (string, error) {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("train: checkpoint %s: %w", final, err)
	}
	if err := t.Model.Save(tmp, model.SaveOptions{}); err != nil {
		return fail(err)
	}
	if err := t.Tokenizer.Save(filepath.Join(tmp, "tokenizer.json")); err != nil {
		return fail(err)
	}
	if err := t.optimizer.SaveState(filepath.Join(tmp, optimizerFile)); err != nil {
		return fail(err)
	}
	if r, ok := t.entropy.(regulatorState); ok {
		raw, err := r.MarshalJSON()
		if err != nil {
			return fail(err)
		}
		st.EntropyRegulator = raw
	}
	st.Config = t.Config
	raw, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fail(err)
	}
	if err := writeFileAtomic(filepath.Join(tmp, stateFile), append(raw, '\n')); err != nil {
		return fail(err)
	}
	if err := os.RemoveAll(final); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fail(err)
	}
	if keep <= 0 {
		keep = 2
	}
	names, err := listCheckpoints(root)
	if err != nil {
		return final, err
	}
	for _, old := range names[:max(0, len(names)-keep)] {
		if err := os.RemoveAll(filepath.Join(root, old)); err != nil {
			return final, fmt.Errorf("train: removing old checkpoint: %w", err)
		}
	}
	return final, nil
}

// listCheckpoints returns the complete checkpoints under root, oldest first.
func listCheckpoints(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("train: checkpoints: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, e.Name(), stateFile)); err == nil {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// LatestCheckpoint returns the newest complete checkpoint of a run directory ("" when none).
func LatestCheckpoint(runDir string) (string, error) {
	names, err := listCheckpoints(filepath.Join(runDir, "checkpoints"))
	if err != nil || len(names) == 0 {
		return "", err
	}
	return filepath.Join(runDir, "checkpoints", names[len(names)-1]), nil
}

// ReadTrainingState reads a checkpoint's state.json.
func ReadTrainingState(dir string) (TrainingState, error) {
	var st TrainingState
	raw, err := os.ReadFile(filepath.Join(dir, stateFile))
	if err != nil {
		return st, fmt.Errorf("train: checkpoint: %w", err)
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return st, fmt.Errorf("train: checkpoint %s: %w", dir, err)
	}
	return st, nil
}

// restore replaces the policy with a checkpoint's weights, rebuilds the optimizer over them with
// the checkpoint's optimizer state, and restores the entropy regulator. lr and weightDecay are the
// phase's optimizer settings.
func (t *Trainer) restore(dir string, st TrainingState, lr, weightDecay float64) error {
	if err := t.sameTokenizer(dir); err != nil {
		return err
	}
	saved, err := model.Load(dir, model.LoadOptions{Device: t.Model.Device(), DType: t.Model.DType()})
	if err != nil {
		return fmt.Errorf("train: resume: %w", err)
	}
	if err := sameShape(dir, saved.Config, t.Model.Config); err != nil {
		saved.Free()
		return err
	}
	if err := saved.SetRequiresGrad(true); err != nil {
		saved.Free()
		return fmt.Errorf("train: resume: %w", err)
	}
	t.Model.Free()
	t.Model = saved
	t.params = allParameters(saved)
	t.Agent.Generator = &agent.ModelGenerator{Model: saved, Tokenizer: t.Tokenizer}
	if err := t.newOptimizer(lr, weightDecay); err != nil {
		return err
	}
	if err := t.optimizer.LoadState(filepath.Join(dir, optimizerFile)); err != nil {
		return fmt.Errorf("train: resume: %w", err)
	}
	if r, ok := t.entropy.(regulatorState); ok && len(st.EntropyRegulator) > 0 {
		if err := r.UnmarshalJSON(st.EntropyRegulator); err != nil {
			return fmt.Errorf("train: resume: entropy regulator: %w", err)
		}
	}
	return nil
}

// sameTokenizer checks that the checkpoint in dir was saved with the tokenizer the trainer
// built from its configuration: a model resumed with another one (another world's vocabulary)
// would read every token as a different one.
func (t *Trainer) sameTokenizer(dir string) error {
	path := filepath.Join(dir, "tokenizer.json")
	saved, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("train: resume: %w", err)
	}
	built, err := t.Tokenizer.MarshalJSON()
	if err != nil {
		return fmt.Errorf("train: resume: %w", err)
	}
	if bytes.Equal(saved, built) {
		return nil
	}
	desc := "a different tokenizer"
	if tok, err := tokenizer.Load(path); err == nil {
		desc = fmt.Sprintf("a different tokenizer (%d tokens)", tok.VocabSize())
	}
	return fmt.Errorf("train: resume: %s was saved with %s than this configuration builds (%d tokens; "+
		"data.world and model.tokenizer decide it): resume with the run's own configuration, its config.json",
		dir, desc, t.Tokenizer.VocabSize())
}

// sameShape checks that the checkpoint's model has the shape of the configuration's.
func sameShape(dir string, saved, want model.Config) error {
	type shape struct{ vocab, hidden, intermediate, layers, heads, kvHeads int }
	s := shape{saved.VocabSize, saved.HiddenSize, saved.IntermediateSize, saved.NumHiddenLayers,
		saved.NumAttentionHeads, saved.NumKeyValueHeads}
	w := shape{want.VocabSize, want.HiddenSize, want.IntermediateSize, want.NumHiddenLayers,
		want.NumAttentionHeads, want.NumKeyValueHeads}
	if s == w && saved.TieWordEmbeddings == want.TieWordEmbeddings {
		return nil
	}
	return fmt.Errorf("train: resume: the model of %s (vocab %d, hidden %d, intermediate %d, %d layers, %d/%d heads) "+
		"is not the configuration's (vocab %d, hidden %d, intermediate %d, %d layers, %d/%d heads): resume with the "+
		"run's own configuration, its config.json", dir, s.vocab, s.hidden, s.intermediate, s.layers, s.heads, s.kvHeads,
		w.vocab, w.hidden, w.intermediate, w.layers, w.heads, w.kvHeads)
}
