"""scikit-learn peer of bench/sparse.ts: sparse coding on the same arrays, timed in the same run.

usage: <python> bench/peers/sparse_sklearn.py DIR --lambda L --k K [--nonneg] [--methods a,b,...]

Reads DIR/D.npy (N×M, atoms in rows) and DIR/X.npy (B×M); for each method writes DIR/Z_<method>.npy (B×N codes,
float64) and prints one JSON line (wall and CPU seconds; CPU time sums all BLAS threads) {"impl": "scikit-learn <version>", "results": [{"method", "seconds", ...}]}.
Methods:
  lasso_cd       sparse_encode(algorithm='lasso_cd', alpha=λ, positive=nonneg) — scikit-learn's defaults (tol 1e-4)
  lasso_cd_tight the same Lasso (alpha=λ/M, precompute=Gram, as sparse_encode builds it) with tol=1e-10
  lasso_lars     sparse_encode(algorithm='lasso_lars', alpha=λ, positive=nonneg)
  omp            orthogonal_mp_gram(Gram, Xy, n_nonzero_coefs=K) (Gram and Xy computed inside the timing)
Seconds include the Gram / correlation products, as in the TypeScript solvers.
"""
import json
import os
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.decomposition import sparse_encode
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso, orthogonal_mp_gram

from peer_env import peer_env


def main(argv):
    d = argv[0]
    lam = float(argv[argv.index('--lambda') + 1]) if '--lambda' in argv else 0.05
    k = int(argv[argv.index('--k') + 1]) if '--k' in argv else 10
    nonneg = '--nonneg' in argv
    methods = (argv[argv.index('--methods') + 1] if '--methods' in argv else 'lasso_cd,lasso_cd_tight,lasso_lars,omp').split(',')
    D = np.load(os.path.join(d, 'D.npy')).astype(np.float64)
    X = np.load(os.path.join(d, 'X.npy')).astype(np.float64)
    out = []
    warnings.simplefilter('ignore', ConvergenceWarning)
    for m in methods:
        t = time.perf_counter()
        c = time.process_time()
        if m == 'lasso_cd':
            Z = sparse_encode(X, D, algorithm='lasso_cd', alpha=lam, positive=nonneg, max_iter=1000)
        elif m == 'lasso_cd_tight':
            gram = D @ D.T
            clf = Lasso(alpha=lam / X.shape[1], fit_intercept=False, precompute=gram, max_iter=100000,
                        tol=1e-10, positive=nonneg)
            clf.fit(D.T, X.T)
            Z = np.atleast_2d(clf.coef_)
        elif m == 'lasso_lars':
            Z = sparse_encode(X, D, algorithm='lasso_lars', alpha=lam, positive=nonneg, max_iter=1000)
        elif m == 'omp':
            gram = D @ D.T
            Xy = D @ X.T
            Z = orthogonal_mp_gram(gram, Xy, n_nonzero_coefs=k).T
        else:
            raise SystemExit(f'unknown method {m}')
        sec = time.perf_counter() - t
        cpu = time.process_time() - c
        np.save(os.path.join(d, f'Z_{m}.npy'), np.ascontiguousarray(Z, dtype=np.float64))
        out.append({'method': m, 'seconds': sec, 'cpu_seconds': cpu})
    print(json.dumps({'impl': f'scikit-learn {sklearn.__version__}', 'results': out, 'env': peer_env()}))


if __name__ == '__main__':
    main(sys.argv[1:])
