"""scikit-learn peer of bench/dictionary.ts: MiniBatchDictionaryLearning on the same planted problem.

usage: <python> bench/peers/dictionary_sklearn.py DIR --atoms N --alpha A [--epochs E] [--batch B]

Reads DIR/X.npy (B×M). Fits MiniBatchDictionaryLearning(n_components=N, alpha=A, positive_code=True, fit_algorithm='cd' (lars has no positive mode),
batch_size, max_iter=E, random_state=0) and encodes X with its transform (lasso_cd, alpha=A, positive);
writes DIR/D_sklearn.npy (N×M) and DIR/Z_sklearn.npy (B×N) for the workbook to score with the same metrics,
and prints one JSON line {"impl", "seconds", "fit_seconds"}.
"""
import json
import os
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.decomposition import MiniBatchDictionaryLearning

from peer_env import peer_env


def arg(argv, name, default):
    return type(default)(argv[argv.index(name) + 1]) if name in argv else default


def main(argv):
    d = argv[0]
    N = arg(argv, '--atoms', 200)
    alpha = arg(argv, '--alpha', 0.05)
    epochs = arg(argv, '--epochs', 10)
    bs = arg(argv, '--batch', 256)
    X = np.load(os.path.join(d, 'X.npy')).astype(np.float64)
    warnings.simplefilter('ignore')
    t = time.perf_counter()
    m = MiniBatchDictionaryLearning(n_components=N, alpha=alpha, positive_code=True, batch_size=bs, max_iter=epochs, fit_algorithm='cd',
                                    transform_algorithm='lasso_cd', transform_alpha=alpha, random_state=0)
    m.fit(X)
    fit = time.perf_counter() - t
    Z = m.transform(X)
    sec = time.perf_counter() - t
    np.save(os.path.join(d, 'D_sklearn.npy'), np.ascontiguousarray(m.components_, dtype=np.float32))
    np.save(os.path.join(d, 'Z_sklearn.npy'), np.ascontiguousarray(Z, dtype=np.float32))
    print(json.dumps({'impl': f'scikit-learn {sklearn.__version__}', 'seconds': sec, 'fit_seconds': fit, 'env': peer_env()}))


if __name__ == '__main__':
    main(sys.argv[1:])
