package grpo

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/atomsearcher/atomsearcher/tensor"
)

// lossBenchInputs makes the B×T benchmark batch from libtorch's generator seeded with 0, in the
// same order as bench/grpo_peer.py, so Go and PyTorch see identical numbers.
func lossBenchInputs(B, T int64) Inputs {
	tensor.ManualSeed(0)
	shape := []int64{B, T}
	logp := tensor.Rand(shape, tensor.Float32, tensor.CPU).MulScalar(-3)
	old := logp.Add(tensor.Randn(shape, tensor.Float32, tensor.CPU).MulScalar(0.3))
	ref := logp.Add(tensor.Randn(shape, tensor.Float32, tensor.CPU).MulScalar(0.3))
	ent := tensor.Rand(shape, tensor.Float32, tensor.CPU).MulScalar(2)
	mask := tensor.Rand(shape, tensor.Float32, tensor.CPU).GtScalar(0.2).ToDType(tensor.Float32)
	adv := tensor.Randn([]int64{B}, tensor.Float32, tensor.CPU)
	return Inputs{LogProbs: logp.SetRequiresGrad(true), OldLogProbs: old, RefLogProbs: ref, Entropy: ent, Mask: mask, Advantages: adv}
}

func BenchmarkPolicyLoss(b *testing.B) {
	for _, size := range []struct{ B, T int64 }{{8, 256}, {64, 1024}} {
		b.Run(fmt.Sprintf("B=%d,T=%d", size.B, size.T), func(b *testing.B) {
			s := tensor.NewScope()
			defer s.Close()
			in := lossBenchInputs(size.B, size.T)
			b.ResetTimer()
			for range b.N {
				policyLossStep(b, in)
			}
		})
	}
}

func policyLossStep(tb testing.TB, in Inputs) {
	s := tensor.NewScope()
	defer s.Close()
	out, err := PolicyLoss(in, Config{}, Normalizer{})
	if err != nil {
		tb.Fatal(err)
	}
	out.Loss.Backward()
	in.LogProbs.ZeroGrad()
}

func BenchmarkLogProbs(b *testing.B) {
	const n, v, h = 256, 32000, 896
	s := tensor.NewScope()
	defer s.Close()
	tensor.ManualSeed(0)
	hidden := tensor.Randn([]int64{n, h}, tensor.Float32, tensor.CPU).SetRequiresGrad(true)
	weight := tensor.Randn([]int64{v, h}, tensor.Float32, tensor.CPU).MulScalar(0.02).SetRequiresGrad(true)
	targets := tensor.Randint(0, v, []int64{n}, tensor.Int64, tensor.CPU)
	for _, path := range []string{"naive", "selective", "fused"} {
		b.Run(path, func(b *testing.B) {
			for range b.N {
				func() {
					s := tensor.NewScope()
					defer s.Close()
					logProbsPath(path, hidden, weight, targets).Sum().Backward()
					hidden.ZeroGrad()
					weight.ZeroGrad()
				}()
			}
		})
	}
}

func logProbsPath(path string, hidden, weight, targets *tensor.Tensor) *tensor.Tensor {
	switch path {
	case "naive":
		return hidden.Matmul(weight.Transpose(0, 1)).LogSoftmax(-1).Gather(1, targets.Unsqueeze(1)).Squeeze(1)
	case "selective":
		lp, _ := SelectiveLogProbs(hidden.Matmul(weight.Transpose(0, 1)), targets, LogProbOptions{})
		return lp
	default:
		lp, _ := FusedLogProbs(hidden, weight, targets, LogProbOptions{})
		return lp
	}
}

// TestBenchProbe is the Go side of bench/grpo.sh: one measurement per process, chosen by
// GRPO_BENCH_PROBE (loss, naive, selective or fused), printed as a JSON line.
func TestBenchProbe(t *testing.T) {
	mode := os.Getenv("GRPO_BENCH_PROBE")
	if mode == "" {
		t.Skip("set GRPO_BENCH_PROBE (bench/grpo.sh does)")
	}
	if th := envInt("GRPO_BENCH_THREADS", runtime.NumCPU()); th > 0 {
		if err := tensor.SetNumThreads(th); err != nil {
			t.Fatal(err)
		}
	}
	s := tensor.NewScope()
	defer s.Close()
	res := map[string]any{"impl": "go", "mode": mode}
	if mode == "loss" {
		in := lossBenchInputs(int64(envInt("GRPO_BENCH_B", 64)), int64(envInt("GRPO_BENCH_T", 1024)))
		res["checksum"] = in.OldLogProbs.Sum().Item() + in.Advantages.Sum().Item()
		for range 3 {
			policyLossStep(t, in)
		}
		var ms []float64
		for range envInt("GRPO_BENCH_REPS", 20) {
			start := time.Now()
			policyLossStep(t, in)
			ms = append(ms, float64(time.Since(start).Microseconds())/1000)
		}
		slices.Sort(ms)
		res["median_ms"] = ms[len(ms)/2]
		res["min_ms"] = ms[0]
	} else {
		n, v, h := int64(envInt("GRPO_BENCH_N", 4096)), int64(envInt("GRPO_BENCH_V", 151936)), int64(envInt("GRPO_BENCH_H", 896))
		tensor.ManualSeed(0)
		hidden := tensor.Randn([]int64{n, h}, tensor.Float32, tensor.CPU).SetRequiresGrad(true)
		weight := tensor.Randn([]int64{v, h}, tensor.Float32, tensor.CPU).MulScalar(0.02).SetRequiresGrad(true)
		targets := tensor.Randint(0, v, []int64{n}, tensor.Int64, tensor.CPU)
		base := resetPeakRSS()
		cpu0 := cpuTime()
		start := time.Now()
		lp := logProbsPath(mode, hidden, weight, targets)
		res["logp_sum"] = lp.Sum().Item()
		fwd := time.Since(start)
		lp.Sum().Backward()
		total := time.Since(start)
		res["grad_w_sum"] = weight.Grad().Sum().Item()
		res["fwd_ms"] = float64(fwd.Microseconds()) / 1000
		res["fwd_bwd_ms"] = float64(total.Microseconds()) / 1000
		res["cpu_ms"] = float64((cpuTime() - cpu0).Microseconds()) / 1000
		res["peak_extra_mib"] = float64(peakRSS()-base) / 1024
	}
	line, _ := json.Marshal(res)
	fmt.Println("GRPO_BENCH " + string(line))
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// resetPeakRSS resets the kernel's RSS high-water mark (Linux clear_refs 5) and returns the
// current RSS in KiB: the baseline the peak is measured against.
func resetPeakRSS() int64 {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return procStatus("VmRSS")
}

// cpuTime is the user+system CPU time of the process so far: on a shared machine it moves less
// than the wall time with other processes' load (both are reported).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS returns the RSS high-water mark (VmHWM) in KiB.
func peakRSS() int64 { return procStatus("VmHWM") }

func procStatus(key string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), key+":"); ok {
			v, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return v
		}
	}
	return 0
}
