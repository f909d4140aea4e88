package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atomsearcher/atomsearcher/train"
)

// TestTrainResumeUsesTheRunsConfig checks that `train --resume --out DIR` continues an
// interrupted run with the run's own config.json (here another world and model than the
// embedded default), and that a --config naming another world is refused, naming the cause.
func TestTrainResumeUsesTheRunsConfig(t *testing.T) {
	cfg := tinyRunConfig(filepath.Join(t.TempDir(), "run"), 2)
	sum, err := train.Run(context.Background(), cfg, train.RunOptions{StopAfter: 1}) // interrupted after step 1
	require.NoError(t, err)
	require.True(t, sum.Stopped)

	// another world through --config: refused
	other := cfg
	other.Data.World.Seed = evalWorld.Seed + 1
	otherPath := filepath.Join(t.TempDir(), "other.json")
	raw, err := json.Marshal(other)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(otherPath, raw, 0o644))
	code, _, errOut := runCLI(t, "", "train", "--resume", "--out", cfg.Out, "--config", otherPath)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "was saved with a different tokenizer")

	code, _, errOut = runCLI(t, "", "train", "--resume", "--out", cfg.Out)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "resumed from "+filepath.Join(cfg.Out, "checkpoints"))
	assert.Contains(t, errOut, "(sft step 1)")
	last, err := train.LatestCheckpoint(cfg.Out)
	require.NoError(t, err)
	st, err := train.ReadTrainingState(last)
	require.NoError(t, err)
	assert.Equal(t, train.TrainingState{Phase: "sft", Step: 2}, train.TrainingState{Phase: st.Phase, Step: st.Step})
}
