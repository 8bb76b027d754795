"""PyTorch peer of bench/mlp.ts: the MLP classifier's training throughput on the same arrays, in the same run.

usage: <python> bench/peers/mlp_torch.py DIR --hidden 50,250,250,50 --rep R --classes C [--batch B] [--steps S]
       [--warmup W] [--threads T]

Reads DIR/X.npy (samples×d, float32) and DIR/y.npy (labels 0..C−1 as float32). The network of
src/identifiability/mlp.ts: per hidden layer Linear → BatchNorm1d → LeakyReLU(0.01), then Linear to R (the
representation), a bias-free linear head R→C, softmax cross-entropy, Adam lr 1e-3. Batches are consecutive
slices of the data (wrapping), as the workbook's bench feeds them. W warm-up steps train a throwaway model;
then S timed steps of a fresh one. Prints one JSON line {"impl", "steps", "batch", "seconds",
"samples_per_second", "final_loss" (the last batch's), "data_loss" (eval mode, mean over all samples), "env"}.
"""
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

from peer_env import peer_env, set_threads


def arg(argv, name, default):
    return type(default)(argv[argv.index(name) + 1]) if name in argv else default


def main(argv):
    d = argv[0]
    hidden = [int(v) for v in arg(argv, '--hidden', '50,250,250,50').split(',')]
    rep, C = arg(argv, '--rep', 5), arg(argv, '--classes', 100)
    B, steps, warm = arg(argv, '--batch', 1024), arg(argv, '--steps', 50), arg(argv, '--warmup', 5)
    set_threads(arg(argv, '--threads', 2))
    torch.manual_seed(0)
    X = torch.from_numpy(np.load(os.path.join(d, 'X.npy')).astype(np.float32))
    y = torch.from_numpy(np.load(os.path.join(d, 'y.npy')).astype(np.int64).reshape(-1))
    S, inp = X.shape
    sizes = [inp, *hidden]

    def fresh():
        layers = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            layers += [nn.Linear(a, b), nn.BatchNorm1d(b), nn.LeakyReLU(0.01)]
        net = nn.Sequential(*layers, nn.Linear(sizes[-1], rep), nn.Linear(rep, C, bias=False))
        return net, torch.optim.Adam(net.parameters(), lr=1e-3)

    lossf = nn.CrossEntropyLoss()

    def train(net, opt, count):
        pos, loss = 0, None
        for _ in range(count):
            if pos + B > S:
                pos = 0
            loss = lossf(net(X[pos:pos + B]), y[pos:pos + B])
            pos += B
            opt.zero_grad()
            loss.backward()
            opt.step()
        return loss

    train(*fresh(), warm)
    net, opt = fresh()
    t0 = time.perf_counter()
    last = train(net, opt, steps)
    sec = time.perf_counter() - t0
    net.eval()
    with torch.no_grad():
        data_loss = float(lossf(net(X), y))
    print(json.dumps({'impl': f'torch {torch.__version__}', 'steps': steps, 'batch': B, 'seconds': sec,
                      'samples_per_second': steps * B / sec, 'final_loss': float(last), 'data_loss': data_loss,
                      'env': peer_env()}))


if __name__ == '__main__':
    main(sys.argv[1:])
