package reward_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/atomsearcher/atomsearcher/reward"
)

// benchSamples returns n samples cycling through the golden responses (realistic responses
// around the dev set's golds), or through the JSONL {"response", "ground_truth"} file named by
// REWARD_BENCH_INPUT (bench/reward.sh). REWARD_BENCH_N overrides n.
func benchSamples(b *testing.B, n int) []reward.Sample {
	if v := os.Getenv("REWARD_BENCH_N"); v != "" {
		var err error
		n, err = strconv.Atoi(v)
		require.NoError(b, err)
	}
	// the responses to one question share its golds slice, as train's rollouts share their
	// question's Answers
	splits := map[string][]string{}
	split := func(groundTruth string) []string {
		if g, ok := splits[groundTruth]; ok {
			return g
		}
		g := reward.SplitGolds(groundTruth)
		splits[groundTruth] = g
		return g
	}
	var base []reward.Sample
	if path := os.Getenv("REWARD_BENCH_INPUT"); path != "" {
		f, err := os.Open(path)
		require.NoError(b, err)
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			var line struct {
				Response    string `json:"response"`
				GroundTruth string `json:"ground_truth"`
			}
			require.NoError(b, json.Unmarshal(sc.Bytes(), &line))
			base = append(base, reward.Sample{Response: line.Response, Golds: split(line.GroundTruth)})
		}
		require.NoError(b, sc.Err())
	} else {
		for _, g := range readGoldens(b) {
			base = append(base, reward.Sample{Response: g.Response, Golds: split(g.GroundTruth)})
		}
	}
	out := make([]reward.Sample, n)
	for i := range out {
		out[i] = base[i%len(base)]
	}
	return out
}

// warmUp runs pass (a batch, or a pass of one-by-one scoring) untimed warmUpPasses times, so
// the timed passes see the steady state of a scorer in a training run: the first passes of a
// process pay for settling in (collections of the decoding garbage, the growing heap paged in
// from the OS), as the first pass of Python's peer does, which its best of three leaves out.
func warmUp(b *testing.B, pass func() error) {
	for range warmUpPasses {
		if err := pass(); err != nil {
			b.Fatal(err)
		}
	}
}

// warmUpPasses is how many passes warmUp runs: the batch figures of bench/reward.sh came out
// 10-25% slower for the first three batches of a process, steady from the fourth.
const warmUpPasses = 4

// stepBatches cuts samples into the batches of GRPO steps: consecutive samples sharing a golds
// slice are one question's group of rollouts, and a step scores stepGroups groups in one
// ScoreBatchInto call, so each question's golds are prepared once per group, as in training
// (a batch holding a question in several places would prepare its golds once for all of them).
func stepBatches(samples []reward.Sample) [][]reward.Sample {
	var batches [][]reward.Sample
	start, groups := 0, 0
	for i := range samples {
		if i > 0 && &samples[i].Golds[0] != &samples[i-1].Golds[0] {
			groups++
			if groups == stepGroups {
				batches = append(batches, samples[start:i])
				start, groups = i, 0
			}
		}
	}
	return append(batches, samples[start:])
}

// stepGroups is the number of question groups a GRPO step of the benchmarks scores at once:
// DeepResearcher's 256 prompts per step (the golden responses come 14 to a question rather
// than its 16 rollouts, so a step is 3584 responses).
const stepGroups = 256

// BenchmarkScore scores samples (1000 by default) per iteration with Scorer.ScoreBatchInto,
// one call per GRPO step (stepBatches), into one results slice kept from iteration to iteration
// (as a training loop keeps it from step to step), single-threaded (Concurrency 1) and
// concurrently, in both modes; conc=0 is Concurrency GOMAXPROCS (run it with -cpu 1,2 for the
// multi-core scaling, and -benchtime 2x or more: the first run of a benchmark, which 1x reports,
// is made before -cpu sets GOMAXPROCS).
func BenchmarkScore(b *testing.B) {
	samples := benchSamples(b, 1000)
	batches := stepBatches(samples)
	for _, mode := range []struct {
		name string
		mode reward.Mode
	}{{"compat", reward.ModeDeepResearcherCompat}, {"atom", reward.ModeAtom}} {
		for _, conc := range []int{0, 1, 2, 4, 8, 16} {
			b.Run(fmt.Sprintf("mode=%s/conc=%d", mode.name, conc), func(b *testing.B) {
				s := reward.Scorer{Outcome: reward.Outcome{Mode: mode.mode}, Concurrency: conc}
				results := make([]reward.Result, len(samples))
				pass := func() error {
					at := 0
					for _, batch := range batches {
						if err := s.ScoreBatchInto(context.Background(), 0, batch, results[at:]); err != nil {
							return err
						}
						at += len(batch)
					}
					return nil
				}
				warmUp(b, pass)
				b.ReportAllocs()
				cpu := cpuNanos()
				for b.Loop() {
					if err := pass(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(cpuNanos()-cpu)/float64(b.N), "cpu-ns/op")
				b.ReportMetric(float64(len(samples)), "samples/op")
				b.ReportMetric(float64(len(batches)), "batches/op")
			})
		}
	}
}

// BenchmarkScoreEach scores the same samples one Scorer.Score call each (single-threaded): the
// golds are prepared for every sample, as DeepResearcher's reward function (the Python peer of
// bench/reward.sh) splits and normalizes them on every call.
func BenchmarkScoreEach(b *testing.B) {
	samples := benchSamples(b, 1000)
	for _, mode := range []struct {
		name string
		mode reward.Mode
	}{{"compat", reward.ModeDeepResearcherCompat}, {"atom", reward.ModeAtom}} {
		b.Run("mode="+mode.name, func(b *testing.B) {
			s := reward.Scorer{Outcome: reward.Outcome{Mode: mode.mode}}
			warmUp(b, func() error {
				for _, in := range samples {
					if _, err := s.Score(0, in); err != nil {
						return err
					}
				}
				return nil
			})
			b.ReportAllocs()
			cpu := cpuNanos()
			for b.Loop() {
				for _, in := range samples {
					if _, err := s.Score(0, in); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(cpuNanos()-cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(len(samples)), "samples/op")
		})
	}
}

// BenchmarkF1 measures the metrics alone on a realistic answer.
func BenchmarkF1(b *testing.B) {
	pred, gold := "The Republic of Türkiye, formerly Turkey", "republic of turkey"
	for _, m := range []struct {
		name string
		f    reward.MetricFunc
		norm reward.Normalizer
	}{{"set", reward.F1Set, nil}, {"bag", reward.F1Bag, nil}, {"squad", reward.F1Bag, reward.NormalizeSQuAD}} {
		b.Run(m.name, func(b *testing.B) {
			for b.Loop() {
				m.f(pred, gold, m.norm)
			}
		})
	}
}

// BenchmarkCPUControl is the control for the scaling figures of BenchmarkScore (conc=0): a
// fixed amount of pure arithmetic (no memory, no allocation) split over GOMAXPROCS goroutines.
// Its speed-up at -cpu 2 over -cpu 1 is what the machine gives a second thread at the time
// (on a shared machine with autogroup scheduling, busy sessions elsewhere cap it near 1x).
func BenchmarkCPUControl(b *testing.B) {
	const work = 100_000_000
	for b.Loop() {
		p := runtime.GOMAXPROCS(0)
		var wg sync.WaitGroup
		sums := make([]uint64, p)
		for w := range p {
			wg.Go(func() {
				x := uint64(w + 1)
				for range work / p {
					x = x*6364136223846793005 + 1442695040888963407
				}
				sums[w] = x
			})
		}
		wg.Wait()
		controlSink = sums
	}
}

// controlSink keeps BenchmarkCPUControl's results alive, so its loops are not optimized away.
var controlSink []uint64
