"""What a benchmark peer runs on: library versions, the BLAS kernel and threads (imported by every peer script).

usage as a script: <python> bench/peers/peer_env.py   prints one JSON line {"env": {...}} (the bench's header)

peer_env() returns {"python", "libs": {name: version}, "blas": [{internal_api, version, architecture,
num_threads, user_api}] (threadpoolctl.threadpool_info(), after numpy/torch are imported so their BLAS is
loaded), "torch": {"version", "threads", "interop_threads", "blas"} (when torch is imported),
"openblas_env": the OPENBLAS_* variables this process saw}.
"""
import json
import os
import platform
import re
import sys


def set_threads(n):
    """Threads for torch (intra-op) and every BLAS threadpoolctl finds in this process."""
    if 'torch' in sys.modules:
        sys.modules['torch'].set_num_threads(n)
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(n)
    except ImportError:
        pass


def peer_env():
    """Versions and the BLAS kernel of this process (see the module comment)."""
    libs = {}
    for name in ('numpy', 'scipy', 'sklearn', 'torch', 'threadpoolctl'):
        mod = sys.modules.get(name)
        if mod is not None:
            libs[name] = getattr(mod, '__version__', '?')
    out = {'python': f'{sys.executable} {platform.python_version()}', 'libs': libs,
           'openblas_env': {k: v for k, v in os.environ.items() if k.startswith('OPENBLAS_')}}
    try:
        from threadpoolctl import threadpool_info
        out['blas'] = [{k: i.get(k) for k in ('user_api', 'internal_api', 'version', 'architecture', 'num_threads')}
                       for i in threadpool_info()]
    except ImportError:
        out['blas'] = 'threadpoolctl missing'
    torch = sys.modules.get('torch')
    if torch is not None:
        build = dict(re.findall(r'\b(BLAS_INFO|USE_MKLDNN|USE_OPENMP)=([^,\s]+)', torch.__config__.show()))
        out['torch'] = {'version': torch.__version__, 'threads': torch.get_num_threads(),
                        'interop_threads': torch.get_num_interop_threads(),
                        'blas': ', '.join(f'{k}={v}' for k, v in build.items())}
    return out


if __name__ == '__main__':
    import importlib
    for name in ('numpy', 'scipy', 'sklearn', 'torch'):  # loaded so that their BLAS libraries show
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    set_threads(int(os.environ.get('OMP_NUM_THREADS', '2')))
    print(json.dumps({'env': peer_env()}))
