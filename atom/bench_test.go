package atom_test

import (
	"os"
	"testing"

	"github.com/atomsearcher/atomsearcher/atom"
)

// BenchmarkParse parses and validates a corpus of realistic trajectories per iteration:
// testdata/corpus.jsonl.gz (200), or the gzip JSONL file named by ATOM_BENCH_CORPUS
// (bench/atom.sh uses 10k). It reports MB/s over the text.
func BenchmarkParse(b *testing.B) {
	benchmarkParse(b, func(text string) { atom.Parse(text, atom.Options{}) })
}

// BenchmarkParser is BenchmarkParse with one Parser reusing its memory over the corpus (each
// trajectory valid until the next is parsed, as when checking rollouts one by one).
func BenchmarkParser(b *testing.B) {
	var ps atom.Parser
	benchmarkParse(b, func(text string) { ps.Parse(text, atom.Options{}) })
}

func benchmarkParse(b *testing.B, parse func(string)) {
	path := os.Getenv("ATOM_BENCH_CORPUS")
	if path == "" {
		path = "testdata/corpus.jsonl.gz"
	}
	texts := readCorpus(b, path)
	size := 0
	for _, t := range texts {
		size += len(t)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	cpu := cpuNanos()
	for b.Loop() {
		for _, t := range texts {
			parse(t)
		}
	}
	b.ReportMetric(float64(cpuNanos()-cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(len(texts)), "trajectories/op")
}
