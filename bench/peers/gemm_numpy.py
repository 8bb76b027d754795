"""numpy peer of bench/gemm.ts: float32 matrix products, the machine's BLAS limit, in the same run.

usage: <python> bench/peers/gemm_numpy.py --shapes 1024x1024x1024,1024x256x1024 [--threads 1,2] [--min-seconds 0.5]

For each shape n×k×m: C = A·B with A (n×k) and B (k×m) float32 standard normal, np.matmul into a preallocated C,
on each thread count (threadpoolctl limits the BLAS); one warm-up product, then products until min-seconds have
passed; the median product time gives GFLOP/s = 2·n·k·m / t / 1e9. max_rel_err checks C against float64 products
of 8 rows (a BLAS kernel that computes wrong results shows here). Prints one JSON line {"impl", "results":
[{"shape", "threads", "seconds", "gflops", "max_rel_err"}], "env"}.
"""
import json
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

from peer_env import peer_env


def arg(argv, name, default):
    return type(default)(argv[argv.index(name) + 1]) if name in argv else default


def main(argv):
    shapes = [tuple(int(v) for v in s.split('x')) for s in arg(argv, '--shapes', '1024x1024x1024').split(',')]
    threads = [int(t) for t in arg(argv, '--threads', '1,2').split(',')]
    min_sec = arg(argv, '--min-seconds', 0.5)
    rng = np.random.default_rng(0)
    out = []
    for n, k, m in shapes:
        A = rng.standard_normal((n, k), dtype=np.float32)
        B = rng.standard_normal((k, m), dtype=np.float32)
        C = np.empty((n, m), dtype=np.float32)
        ref = A[:8].astype(np.float64) @ B.astype(np.float64)
        for t in threads:
            with threadpool_limits(t):
                np.matmul(A, B, out=C)
                times = []
                t_end = time.perf_counter() + min_sec
                while time.perf_counter() < t_end or len(times) < 3:
                    t0 = time.perf_counter()
                    np.matmul(A, B, out=C)
                    times.append(time.perf_counter() - t0)
            sec = float(np.median(times))
            err = float(np.max(np.abs(C[:8] - ref)) / np.max(np.abs(ref)))
            out.append({'shape': f'{n}x{k}x{m}', 'threads': t, 'seconds': sec, 'gflops': 2 * n * k * m / sec / 1e9,
                        'max_rel_err': err})
    print(json.dumps({'impl': f'numpy {np.__version__}', 'results': out, 'env': peer_env()}))


if __name__ == '__main__':
    main(sys.argv[1:])
