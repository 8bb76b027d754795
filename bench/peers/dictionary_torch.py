"""PyTorch peer of bench/dictionary.ts: SAE training throughput on the same arrays, in the same run.

usage: <python> bench/peers/dictionary_torch.py DIR --kind relu|topk --features F [--k K] [--lambda L]
       [--steps S] [--batch B] [--threads T] [--auxk-dead-steps S --auxk-k K --auxk-alpha A]

Reads DIR/X.npy (samples×M, float32). Trains the same SAE as the workbook: pre = (x − b_dec)·W_enc + b_enc,
z = ReLU(pre) (L1 penalty λ·Σz, decoder rows unit-norm) or TopK_K(ReLU(pre)); x̂ = z·W_dec + b_dec;
loss = mean_b ‖x − x̂‖² (+ penalty); Adam lr 1e-3; decoder gradients projected off the atom directions
and rows renormalised after each step; encoder initialised as the decoder's transpose, b_dec at the data mean.
With --auxk-dead-steps S (TopK), the auxiliary-K loss of dictionary_learning's TopK trainer is added, as the
workbook's TopK fit adds it: latents with no non-zero code in the last S steps are dead; the k_aux (--auxk-k) largest
ReLU'd pre-activations among them reconstruct the detached residual x − x̂ through W_dec (no bias); loss + α·
mean_b ‖e_b − ê_b‖² / mean_b ‖e_b − ē‖² (α = --auxk-alpha).
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
    dead_steps = arg(argv, '--auxk-dead-steps', 0)
    k_aux = arg(argv, '--auxk-k', 0)
    alpha = arg(argv, '--auxk-alpha', 1 / 32)
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

    def loss_of(xb, W_enc, b_enc, W_dec, b_dec, dead=None):
        """mean_b ‖x_b − x̂_b‖² (+ λ·mean_b Σz for ReLU; + the auxiliary-K loss on `dead` latents) of a batch, and z."""
        pre = (xb - b_dec) @ W_enc + b_enc
        if kind == 'relu':
            z = torch.relu(pre)
            pen = lam * z.sum(-1).mean()
        else:
            v, i = torch.topk(pre, k, dim=-1)
            z = torch.zeros_like(pre).scatter(-1, i, torch.relu(v))
            pen = 0.0
        x_hat = z @ W_dec + b_dec
        loss = ((x_hat - xb) ** 2).sum(-1).mean() + pen
        if dead is not None and bool(dead.any()):
            # dictionary_learning's TopKTrainer.get_auxiliary_loss
            e = (xb - x_hat).detach()
            ka = min(k_aux, int(dead.sum()))
            va, ia = torch.where(dead[None], torch.relu(pre), -torch.inf).topk(ka, sorted=False)
            e_hat = torch.zeros_like(pre).scatter(-1, ia, va) @ W_dec
            denom = ((e - e.mean(0, keepdim=True)) ** 2).sum(-1).mean()
            loss = loss + alpha * torch.nan_to_num(((e - e_hat) ** 2).sum(-1).mean() / denom, 0.0)
        return loss, z

    g = torch.Generator().manual_seed(0)
    perm = torch.randperm(S, generator=g)
    pos = 0
    t0 = None
    loss = None
    # 3 warm-up steps on a throwaway model (as the workbook's bench warms up on one), then `steps` timed steps
    # of a fresh model: both sides' trained models have seen the same number of steps
    W_enc, b_enc, W_dec, b_dec, opt = fresh()
    last_active = torch.zeros(F, dtype=torch.long)
    for t in range(steps + 3):
        if t == 3:
            W_enc, b_enc, W_dec, b_dec, opt = fresh()
            last_active.zero_()
            t0 = time.perf_counter()
        step = t if t < 3 else t - 3
        if pos + B > S:
            perm = torch.randperm(S, generator=g)
            pos = 0
        xb = X[perm[pos:pos + B]]
        pos += B
        dead = (step - last_active) >= dead_steps if dead_steps > 0 and kind == 'topk' else None
        loss, z = loss_of(xb, W_enc, b_enc, W_dec, b_dec, dead)
        last_active[(z != 0).any(0)] = step
        opt.zero_grad()
        loss.backward()
        with torch.no_grad():
            W_dec.grad -= (W_dec.grad * W_dec).sum(1, keepdim=True) * W_dec
        opt.step()
        with torch.no_grad():
            W_dec /= W_dec.norm(dim=1, keepdim=True)
    sec = time.perf_counter() - t0
    with torch.no_grad():  # the trained model's loss on all of X, as the workbook's bench computes it
        data_loss = float(loss_of(X, W_enc, b_enc, W_dec, b_dec)[0])
    print(json.dumps({'impl': f'torch {torch.__version__}', 'kind': kind, 'steps': steps,
                      'batch': B, 'auxk': dead_steps > 0 and kind == 'topk', 'seconds': sec, 'samples_per_second': steps * B / sec, 'final_loss': float(loss),
                      'data_loss': data_loss, 'env': peer_env()}))


if __name__ == '__main__':
    main(sys.argv[1:])
