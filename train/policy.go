package train

import (
	"fmt"

	"github.com/atomsearcher/atomsearcher/grpo"
	"github.com/atomsearcher/atomsearcher/model"
	"github.com/atomsearcher/atomsearcher/tensor"
)

func aggregationOf(name string) (grpo.Aggregation, error) {
	if name == "" {
		return grpo.TokenMean, nil
	}
	return grpo.ParseAggregation(name)
}

// tokenLogProbs returns, for a batch, the log-probs [B, T-1] of every token but each row's first
// under m (softmax of logits/temperature), and, when withEntropy, the per-token entropy of the same
// distribution (not differentiable). The lm_head and log-softmax run fused in chunks, so the
// [B, T, vocab] logits are never held. Gradients flow when grad mode is on.
func tokenLogProbs(m *model.Model, b *batch, temperature float64, withEntropy bool) (logp, entropy *tensor.Tensor, err error) {
	o := model.LogProbOptions{ForwardOptions: model.ForwardOptions{SegmentIDs: b.segments}, Temperature: temperature}
	if withEntropy {
		logp, entropy, err = m.LogProbsEntropy(b.ids, o)
	} else {
		logp, err = m.LogProbs(b.ids, o)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("train: %w", err)
	}
	return logp, entropy, nil
}

// parameters returns the model's parameter tensors split into the weight-decayed group and the
// rest (biases and norm weights), as optimizer groups.
func parameterGroups(m *model.Model) []tensor.ParamGroup {
	var decay, noDecay []*tensor.Tensor
	for _, p := range m.Parameters() {
		if p.NoWeightDecay() {
			noDecay = append(noDecay, p.Tensor)
		} else {
			decay = append(decay, p.Tensor)
		}
	}
	groups := []tensor.ParamGroup{{Params: decay}}
	if len(noDecay) > 0 {
		groups = append(groups, tensor.ParamGroup{Params: noDecay, NoWeightDecay: true})
	}
	return groups
}

func allParameters(m *model.Model) []*tensor.Tensor {
	var out []*tensor.Tensor
	for _, p := range m.Parameters() {
		out = append(out, p.Tensor)
	}
	return out
}
