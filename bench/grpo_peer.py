#!/usr/bin/env python3
"""PyTorch peer of grpo's benchmarks (bench/grpo.sh): the same formulas on the same inputs.

GRPO_BENCH_PROBE=loss   the DeepResearcher policy loss (verl style: clip 0.2, k3 KL clamped ±10
                        coef 0.001, entropy coef 0.001, token-mean, log-ratio clamp ±20) forward +
                        backward on B x T float32, with the same metrics read back at once.
GRPO_BENCH_PROBE=naive  log-probs as log_softmax(h @ W^T) then gather, forward + backward.
Inputs come from torch.manual_seed(0) in the same order as the Go probe (same libtorch generator).
"""
import json
import os
import time

import torch

env = lambda k, d: int(os.environ.get(k, d))
torch.set_num_threads(env("GRPO_BENCH_THREADS", os.cpu_count()))
mode = os.environ["GRPO_BENCH_PROBE"]


def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def loss_inputs(B, T):
    torch.manual_seed(0)
    logp = torch.rand(B, T) * -3
    old = logp + torch.randn(B, T) * 0.3
    ref = logp + torch.randn(B, T) * 0.3
    ent = torch.rand(B, T) * 2
    mask = (torch.rand(B, T) > 0.2).float()
    adv = torch.randn(B)
    return logp.requires_grad_(True), old, ref, ent, mask, adv


def loss_step(logp, old, ref, ent, mask, adv):
    m = mask != 0
    mf = m.to(logp.dtype)
    z = torch.zeros_like(logp)
    tokens = mf.sum().clamp(min=1)
    agg = lambda x: x.sum() / tokens
    A = torch.where(m, adv.unsqueeze(1).expand_as(logp), z)
    d = torch.where(m, logp - old, z)
    dc = d.clamp(-20, 20)
    ratio = torch.exp(dc)
    l1 = -A * ratio
    l2 = -A * ratio.clamp(0.8, 1.2)
    pg = torch.maximum(l1, l2)
    pg_loss = agg(torch.where(m, pg, z))
    x = (torch.where(m, ref, z) - torch.where(m, logp, z)).clamp(-20, 20)
    kl = (torch.exp(x) - x - 1).clamp(-10, 10)
    kl_loss = agg(torch.where(m, kl, z))
    with torch.no_grad():
        e = torch.where(m, ent, z)
    ent_loss = agg(e)
    loss = pg_loss + 0.001 * kl_loss - 0.001 * ent_loss
    with torch.no_grad():
        mean = lambda v: torch.where(m, v.to(logp.dtype), z).sum() / tokens
        ninf = torch.full_like(logp, float("-inf"))
        mx = lambda v: torch.where(m, v, ninf).max()
        won = l2 > l1
        am = mean(A)
        vals = torch.stack([pg_loss, kl_loss, ent_loss, mean(won), mean(won & (A > 0)), mean(won & (A < 0)),
                            torch.zeros(()), mean(-d), mean(ent), mean(ratio), -mx(-ratio), mx(ratio),
                            am, mean((A - am) ** 2).sqrt(), -mx(-A), mx(A), mf.sum()]).double().tolist()
    loss.backward()
    logp.grad = None
    return vals


res = {"impl": "pytorch", "mode": mode}
if mode == "loss":
    inp = loss_inputs(env("GRPO_BENCH_B", 64), env("GRPO_BENCH_T", 1024))
    res["checksum"] = inp[1].sum().item() + inp[5].sum().item()
    for _ in range(3):
        loss_step(*inp)
    ms = []
    for _ in range(env("GRPO_BENCH_REPS", 20)):
        t0 = time.perf_counter()
        loss_step(*inp)
        ms.append((time.perf_counter() - t0) * 1000)
    ms.sort()
    res["median_ms"] = ms[len(ms) // 2]
    res["min_ms"] = ms[0]
else:
    n, v, h = env("GRPO_BENCH_N", 4096), env("GRPO_BENCH_V", 151936), env("GRPO_BENCH_H", 896)
    torch.manual_seed(0)
    hidden = torch.randn(n, h).requires_grad_(True)
    weight = (torch.randn(v, h) * 0.02).requires_grad_(True)
    targets = torch.randint(0, v, (n,))
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    base = status("VmRSS")
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    lp = torch.log_softmax(hidden @ weight.t(), dim=-1).gather(1, targets.unsqueeze(1)).squeeze(1)
    res["logp_sum"] = lp.sum().item()
    fwd = time.perf_counter() - t0
    lp.sum().backward()
    total = time.perf_counter() - t0
    res["grad_w_sum"] = weight.grad.sum().item()
    res["fwd_ms"] = fwd * 1000
    res["fwd_bwd_ms"] = total * 1000
    res["cpu_ms"] = (time.process_time() - cpu0) * 1000
    res["peak_extra_mib"] = (status("VmHWM") - base) / 1024
print("GRPO_BENCH " + json.dumps(res))
