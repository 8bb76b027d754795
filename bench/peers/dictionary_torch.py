"""PyTorch peer of bench/dictionary.ts: SAE training throughput on the same arrays, in the same run.

usage: <python> bench/peers/dictionary_torch.py DIR --kind relu|topk --features F [--k K] [--lambda L]
       [--steps S] [--batch B] [--threads T]

Reads DIR/X.npy (samples×M, float32). Trains the same SAE as the workbook: pre = (x − b_dec)·W_enc + b_enc,
z = ReLU(pre) (L1 penalty λ·Σz, decoder rows unit-norm) or TopK_K(ReLU(pre)); x̂ = z·W_dec + b_dec;
loss = mean_b ‖x − x̂‖² (+ penalty); Adam lr 1e-3; decoder gradients projected off the atom directions
and rows renormalised after each step; encoder initialised as the decoder's transpose, b_dec at the data mean.
Prints one JSON line {"impl", "kind", "steps", "batch", "seconds", "samples_per_second", "final_loss" (the last
batch's), "data_loss" (the trained model's loss on all of X)} (timing excludes 3 warm-up steps).
"""
import json
import os
import sys
import time

import numpy as np
import torch

from peer_env import peer_env


def arg(argv, name, default):
    return type(default)(argv[argv.index(name) + 1]) if name in argv else default


def main(argv):
    d = argv[0]
    kind = arg(argv, '--kind', 'relu')
    F = arg(argv, '--features', 1024)
    k = arg(argv, '--k', 32)
    lam = arg(argv, '--lambda', 0.01)
    steps = arg(argv, '--steps', 50)
    B = arg(argv, '--batch', 1024)
    torch.set_num_threads(arg(argv, '--threads', 2))
    torch.manual_seed(0)
    X = torch.from_numpy(np.load(os.path.join(d, 'X.npy')).astype(np.float32))
    S, M = X.shape

    def fresh():
        W_dec = torch.randn(F, M)
        W_dec /= W_dec.norm(dim=1, keepdim=True)
        W_dec.requires_grad_(True)
        W_enc = W_dec.detach().t().clone().requires_grad_(True)
        b_enc = torch.zeros(F, requires_grad=True)
        b_dec = X.mean(0).clone().requires_grad_(True)
        return W_enc, b_enc, W_dec, b_dec, torch.optim.Adam([W_enc, b_enc, W_dec, b_dec], lr=1e-3)

    def loss_of(xb, W_enc, b_enc, W_dec, b_dec):
        """mean_b ‖x_b − x̂_b‖² (+ λ·mean_b Σz for ReLU) of a batch."""
        pre = (xb - b_dec) @ W_enc + b_enc
        if kind == 'relu':
            z = torch.relu(pre)
            pen = lam * z.sum(-1).mean()
        else:
            v, i = torch.topk(pre, k, dim=-1)
            z = torch.zeros_like(pre).scatter(-1, i, torch.relu(v))
            pen = 0.0
        return ((z @ W_dec + b_dec - xb) ** 2).sum(-1).mean() + pen

    g = torch.Generator().manual_seed(0)
    perm = torch.randperm(S, generator=g)
    pos = 0
    t0 = None
    loss = None
    # 3 warm-up steps on a throwaway model (as the workbook's bench warms up on one), then `steps` timed steps
    # of a fresh model: both sides' trained models have seen the same number of steps
    W_enc, b_enc, W_dec, b_dec, opt = fresh()
    for t in range(steps + 3):
        if t == 3:
            W_enc, b_enc, W_dec, b_dec, opt = fresh()
            t0 = time.perf_counter()
        if pos + B > S:
            perm = torch.randperm(S, generator=g)
            pos = 0
        xb = X[perm[pos:pos + B]]
        pos += B
        loss = loss_of(xb, W_enc, b_enc, W_dec, b_dec)
        opt.zero_grad()
        loss.backward()
        with torch.no_grad():
            W_dec.grad -= (W_dec.grad * W_dec).sum(1, keepdim=True) * W_dec
        opt.step()
        with torch.no_grad():
            W_dec /= W_dec.norm(dim=1, keepdim=True)
    sec = time.perf_counter() - t0
    with torch.no_grad():  # the trained model's loss on all of X, as the workbook's bench computes it
        data_loss = float(loss_of(X, W_enc, b_enc, W_dec, b_dec))
    print(json.dumps({'impl': f'torch {torch.__version__}', 'kind': kind, 'steps': steps,
                      'batch': B, 'seconds': sec, 'samples_per_second': steps * B / sec, 'final_loss': float(loss),
                      'data_loss': data_loss, 'env': peer_env()}))


if __name__ == '__main__':
    main(sys.argv[1:])
