"""PyTorch peer of bench/toy.ts: toy models of superposition, many instances trained together, in the same run.

usage: <python> bench/peers/toy_torch.py --n N --m M --probs p1,p2,... [--importance-base r] [--batch B]
       [--steps S] [--warmup W] [--eval E] [--threads T]

The same model as src/toy/model.ts: per instance W (n×m, one feature direction per row), b (n);
x' = ReLU((x·W)·Wᵀ + b); loss = Σ_instances mean_batch Σ_i I_i (x_i − x'_i)², I_i = r^i; AdamW (lr 1e-3,
weight decay 0.01); W Xavier-normal (std √(2/(n+m))), b = 0. Data: feature i of a sample is U[0, 1] with the
instance's probability p, else 0 (src/toy/data.ts), drawn fresh every step (inside the timing, as ours).
W warm-up steps train a throwaway model; then S timed steps of a fresh one.
Prints one JSON line {"impl", "steps", "seconds", "steps_per_second", "final_loss" (mean over instances of the
importance-weighted loss per sample on E fresh samples each), "env"}.
"""
import json
import sys
import time

import torch

from peer_env import peer_env, set_threads


def arg(argv, name, default):
    return type(default)(argv[argv.index(name) + 1]) if name in argv else default


def main(argv):
    n, m = arg(argv, '--n', 200), arg(argv, '--m', 20)
    probs = torch.tensor([float(v) for v in arg(argv, '--probs', '0.1').split(',')])
    r = arg(argv, '--importance-base', 1.0)
    B, steps, warm = arg(argv, '--batch', 1024), arg(argv, '--steps', 100), arg(argv, '--warmup', 5)
    n_eval = arg(argv, '--eval', 4096)
    set_threads(arg(argv, '--threads', 2))
    torch.manual_seed(0)
    inst = probs.numel()
    imp = (r ** torch.arange(n, dtype=torch.float32)).view(1, 1, n)
    p = probs.view(inst, 1, 1)

    def draw(batch):
        x = torch.rand(inst, batch, n)
        return torch.where(torch.rand(inst, batch, n) < p, x, torch.zeros(()))

    def loss_per_instance(W, b, x):
        out = torch.relu(torch.bmm(torch.bmm(x, W), W.transpose(1, 2)) + b)
        return (imp * (x - out) ** 2).sum(-1).mean(-1)

    def fresh():
        W = (torch.randn(inst, n, m) * (2 / (n + m)) ** 0.5).requires_grad_(True)
        b = torch.zeros(inst, 1, n, requires_grad=True)
        return W, b, torch.optim.AdamW([W, b], lr=1e-3, weight_decay=0.01)

    def train(W, b, opt, count):
        for _ in range(count):
            loss = loss_per_instance(W, b, draw(B)).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()

    train(*fresh(), warm)
    W, b, opt = fresh()
    t0 = time.perf_counter()
    train(W, b, opt, steps)
    sec = time.perf_counter() - t0
    with torch.no_grad():
        final = float(loss_per_instance(W, b, draw(n_eval)).mean())
    print(json.dumps({'impl': f'torch {torch.__version__}', 'steps': steps, 'seconds': sec, 'steps_per_second': steps / sec,
                      'final_loss': final, 'env': peer_env()}))


if __name__ == '__main__':
    main(sys.argv[1:])
