package data

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
)

// WriteCorpus writes passages as JSONL ({"id", "title", "url", "text"} a line), the corpus file
// the tools package's local index builds from. The write is atomic.
func WriteCorpus(path string, passages []Passage) error {
	return writeAtomic(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		for _, p := range passages {
			if err := enc.Encode(p); err != nil {
				return fmt.Errorf("data: corpus: %w", err)
			}
		}
		return bw.Flush()
	})
}

// WriteExperts writes expert trajectories as JSONL, one {"id", "question", "answers",
// "messages": [{role, content}]} a line. The write is atomic.
func WriteExperts(path string, ts []ExpertTrajectory) error {
	type line struct {
		ID       string    `json:"id"`
		Question string    `json:"question"`
		Answers  []string  `json:"answers"`
		Messages []Message `json:"messages"`
		Hasty    bool      `json:"hasty,omitempty"`
	}
	return writeAtomic(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		for _, t := range ts {
			if err := enc.Encode(line{t.Question.ID, t.Question.Question, t.Question.Answers, t.Messages(), t.Hasty}); err != nil {
				return fmt.Errorf("data: experts: %w", err)
			}
		}
		return bw.Flush()
	})
}

// WriteWorld writes the world's files into dir (which must exist): corpus.jsonl, and for each
// split train/dev/test both .parquet and .jsonl in verl's layout, the files a run reads like
// the real datasets.
func (w *World) WriteWorld(dir string) error {
	if err := WriteCorpus(filepath.Join(dir, "corpus.jsonl"), w.Passages()); err != nil {
		return err
	}
	train, dev, test, err := w.Questions()
	if err != nil {
		return err
	}
	for split, qs := range map[string][]Question{SplitTrain: train, SplitDev: dev, SplitTest: test} {
		for _, ext := range []string{".parquet", ".jsonl"} {
			if err := WriteFile(filepath.Join(dir, split+ext), Examples(qs)); err != nil {
				return err
			}
		}
	}
	return nil
}
