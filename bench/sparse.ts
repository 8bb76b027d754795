/**
 * Sparse-inference benchmark: the workbook's solvers against scikit-learn on the same arrays in the same run.
 *
 * Reference problem (issue 5): N=1024 unit-norm Gaussian atoms in M=256 dimensions, B=2048 samples with K=10
 * non-negative non-zeros from U[0.5, 1.5], noise σ=0.01, λ=0.05, non-negative lasso. Quick mode: N=256,
 * M=64, B=256, K=5. For each lasso solver: the time of the first call (tolerances 1e-3, 1e-4, …) whose codes
 * reach a relative objective gap ≤ 1e-6 against the best objective any solver found. OMP/IHT: time and
 * objective at K atoms. Full mode adds scaling runs of CD and OMP in B, N and K (workbook only).
 * Rows carry wall `seconds` and `cpuSeconds` (CPU time of the process; for scikit-learn summed over BLAS threads).
 * scikit-learn runs under each peer stack (bench/common.ts); the vs… columns compare with the fastest stack's, and
 * the speed table's targets are CD ≤ 0.3× the best lasso_cd time and OMP ≤ 0.3× the best orthogonal_mp_gram time.
 *   npm run bench -- --only sparse [--quick]      or      node --import tsx bench/sparse.ts [--quick]
 * Environment: SPARSE_BENCH_SKIP_FISTA=1, SPARSE_BENCH_SKIP_SCALING=1, SPARSE_BENCH_PEER_METHODS=lasso_cd,omp
 * shorten a run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { initBackend } from '../src/core/backend';
import { Matrix } from '../src/core/matrix';
import { readMatrix, writeNpy } from '../src/io/npy';
import { lassoCD } from '../src/sparse/cd';
import { iht } from '../src/sparse/iht';
import { lassoObjective } from '../src/sparse/objective';
import { omp } from '../src/sparse/omp';
import { fista, ista } from '../src/sparse/proximal';
import { plantedSparseProblem } from '../src/sparse/synthetic';
import { LassoOptions, SparseCodeResult } from '../src/sparse/types';
import { BenchResult, peerStacks, runPeerOn, scratchDir, versusRow } from './common';

const LAMBDA = 0.05;
const SIGMA = 0.01;
const TARGET = 1e-6;

function supportAgreement(a: Matrix, b: Matrix): number {
  let inter = 0, union = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i] !== 0, y = b.data[i] !== 0;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union ? inter / union : 1;
}

function meanL0(z: Matrix): number {
  let n = 0;
  for (let i = 0; i < z.data.length; i++) if (z.data[i] !== 0) n++;
  return n / z.rows;
}

/** Run fn, returning its value and the CPU seconds this process used meanwhile (less sensitive to other load). */
function withCpu<T>(fn: () => T): { value: T; cpuSeconds: number } {
  const c0 = process.cpuUsage();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { value, cpuSeconds: (c.user + c.system) / 1e6 };
}

type LassoFn = (X: Matrix, D: Matrix, o: LassoOptions) => SparseCodeResult;

/** Loosest tolerance whose run reaches the target gap: returns that run's time (and the runs tried). */
function timeToGap(fn: LassoFn, X: Matrix, D: Matrix, fStar: () => number, tols: number[], maxIter: number) {
  let last: { seconds: number; cpuSeconds: number; gap: number; tol: number; res: SparseCodeResult } | null = null;
  for (const tol of tols) {
    const { value: res, cpuSeconds } = withCpu(() => fn(X, D, { lambda: LAMBDA, nonneg: true, tol, maxIter, progress: false }));
    const gap = (res.objective - fStar()) / fStar();
    last = { seconds: res.seconds, cpuSeconds, gap, tol, res };
    if (gap <= TARGET) return { ...last, reached: true };
  }
  return { ...last!, reached: false };
}

export async function bench(opts: { quick: boolean }): Promise<BenchResult[]> {
  await initBackend();
  const cfg = opts.quick ? { n: 256, m: 64, b: 256, k: 5 } : { n: 1024, m: 256, b: 2048, k: 10 };
  const name = `N=${cfg.n} M=${cfg.m} B=${cfg.b} K=${cfg.k}`;
  const { X, D } = plantedSparseProblem({ ...cfg, nonneg: true, noise: SIGMA, seed: 20250301 });
  const out: BenchResult[] = [];
  // warm-up (JIT compilation of the typed-array loops; scikit-learn's Cython is compiled ahead of time)
  {
    const w = plantedSparseProblem({ n: 128, m: 32, b: 64, k: 3, seed: 1 });
    lassoCD(w.X, w.D, { lambda: LAMBDA, nonneg: true, progress: false });
    fista(w.X, w.D, { lambda: LAMBDA, nonneg: true, progress: false });
    omp(w.X, w.D, { k: 3 });
    omp(w.X, w.D, { k: 3, nonneg: true });
    iht(w.X, w.D, { k: 3, nonneg: true });
  }

  // scikit-learn on the same arrays (float32 written, read as float64 by the peer)
  const dir = scratchDir('sparse-');
  writeNpy(path.join(dir, 'D.npy'), D);
  writeNpy(path.join(dir, 'X.npy'), X);
  // Each peer stack in turn (each writes its codes to the same files, read before the next runs); `sk` holds the
  // stack whose lasso_cd was fastest (the reference of the ratio columns), `stacks` every stack's results.
  type SkRun = Record<string, { seconds: number; cpuSeconds: number; Z: Matrix }>;
  const stacks: { label: string; impl: string; sk: SkRun }[] = [];
  for (const stack of peerStacks()) {
    const peer = runPeerOn(stack, 'sparse_sklearn.py', [dir, '--lambda', String(LAMBDA), '--k', String(cfg.k), '--nonneg',
      '--methods', process.env.SPARSE_BENCH_PEER_METHODS ?? 'lasso_cd,lasso_cd_tight,lasso_lars,omp']);
    if (!peer.result) { console.log(`sparse bench: scikit-learn peer of ${stack.label} unavailable (${peer.reason})`); continue; }
    const run: SkRun = {};
    for (const r of peer.result.results as { method: string; seconds: number; cpu_seconds: number }[]) {
      run[r.method] = { seconds: r.seconds, cpuSeconds: r.cpu_seconds, Z: readMatrix(path.join(dir, `Z_${r.method}.npy`)) };
    }
    stacks.push({ label: stack.label, impl: String(peer.result.impl), sk: run });
  }
  const fastest = (m: string) => stacks.filter((s) => s.sk[m]).sort((a, b) => a.sk[m].seconds - b.sk[m].seconds)[0];
  const sk: SkRun = fastest('lasso_cd')?.sk ?? stacks[0]?.sk ?? {};
  if (!stacks.length) console.log('sparse bench: no scikit-learn peer ran; workbook rows only');

  // best objective found by anyone: tight CD here and every stack's scikit-learn
  const tight = lassoCD(X, D, { lambda: LAMBDA, nonneg: true, tol: 1e-10, progress: false });
  let best = tight.objective;
  const objOf = (Z: Matrix) => lassoObjective(X, D, Z, LAMBDA);
  for (const st of stacks) {
    for (const m of ['lasso_cd', 'lasso_cd_tight', 'lasso_lars']) if (st.sk[m]) best = Math.min(best, objOf(st.sk[m].Z));
  }
  const fStar = () => best;
  const skCd = sk.lasso_cd?.seconds;

  const solvers: [string, LassoFn, number[], number][] = [
    ['cd', lassoCD, [1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8], 1000],
    ['fista', fista, [1e-4, 1e-5, 1e-6, 1e-7], 5000],
  ];
  if (opts.quick) solvers.push(['ista', ista, [1e-5, 1e-6, 1e-7], 20000]);
  if (process.env.SPARSE_BENCH_SKIP_FISTA === '1') solvers.splice(1);
  const oursLasso: Record<string, number> = {};
  for (const [m, fn, tols, maxIter] of solvers) {
    const r = timeToGap(fn, X, D, fStar, tols, maxIter);
    best = Math.min(best, r.res.objective);
    oursLasso[m] = r.seconds;
    out.push({
      name: `lasso ${name}`, impl: `workbook/${m}`, seconds: r.seconds, cpuSeconds: r.cpuSeconds, relObjGap: r.gap, reachedTarget: r.reached,
      tol: r.tol, iterations: r.res.iterations, meanL0: meanL0(r.res.codes),
      vsSklearnLassoCd: skCd ? r.seconds / skCd : undefined,
    });
  }
  for (const st of stacks) {
    for (const m of ['lasso_cd', 'lasso_cd_tight', 'lasso_lars']) {
      const r = st.sk[m];
      if (!r) continue;
      const gap = (objOf(r.Z) - best) / best;
      out.push({
        name: `lasso ${name}`, impl: `${st.label} sklearn/${m}`, seconds: r.seconds, cpuSeconds: r.cpuSeconds, relObjGap: gap,
        reachedTarget: gap <= TARGET, meanL0: meanL0(r.Z), vsSklearnLassoCd: skCd ? r.seconds / skCd : undefined, sklearn: st.impl,
      });
    }
  }
  const skPeers = (m: string) => stacks.filter((st) => st.sk[m]).map((st) => ({ stack: st.label, impl: st.impl, value: st.sk[m].seconds }));
  out.push(versusRow({ name: `lasso ${name} (CD to gap ${TARGET} vs sklearn lasso_cd)`, metric: 'seconds', sense: 'time',
    ours: oursLasso.cd, peers: skPeers('lasso_cd'), target: 0.3 }));

  // OMP and IHT at K atoms; objective = mean ½‖x − zD‖²
  const { value: o, cpuSeconds: oCpu } = withCpu(() => omp(X, D, { k: cfg.k, nonneg: false }));
  const skOmp = fastest('omp')?.sk.omp;
  const half = (Z: Matrix) => lassoObjective(X, D, Z, 0);
  out.push({
    name: `omp K=${cfg.k} ${name}`, impl: 'workbook/omp', seconds: o.seconds, cpuSeconds: oCpu, objective: o.objective,
    supportAgreementWithSklearn: skOmp ? supportAgreement(o.codes, skOmp.Z) : undefined,
    vsSklearnOmp: skOmp ? o.seconds / skOmp.seconds : undefined,
  });
  const on = omp(X, D, { k: cfg.k, nonneg: true });
  out.push({ name: `omp K=${cfg.k} ${name}`, impl: 'workbook/omp nonneg', seconds: on.seconds, objective: on.objective,
    vsSklearnOmp: skOmp ? on.seconds / skOmp.seconds : undefined });
  for (const st of stacks) {
    const r = st.sk.omp;
    if (r) out.push({ name: `omp K=${cfg.k} ${name}`, impl: `${st.label} sklearn/orthogonal_mp_gram`, seconds: r.seconds, cpuSeconds: r.cpuSeconds, objective: half(r.Z), vsSklearnOmp: skOmp ? r.seconds / skOmp.seconds : undefined, sklearn: st.impl });
  }
  out.push(versusRow({ name: `OMP K=${cfg.k} ${name}`, metric: 'seconds', sense: 'time', ours: o.seconds, peers: skPeers('omp'), target: 0.3 }));
  const h = iht(X, D, { k: cfg.k, nonneg: true });
  out.push({ name: `iht K=${cfg.k} ${name}`, impl: 'workbook/iht nonneg', seconds: h.seconds, objective: h.objective, iterations: h.iterations });
  fs.rmSync(dir, { recursive: true, force: true });

  // Scaling (workbook CD at tol 1e-6 and OMP), one parameter at a time around the reference problem.
  const grid: { b: number; n: number; k: number; vary: string }[] = [];
  if (process.env.SPARSE_BENCH_SKIP_SCALING === '1') {
    // reference comparison only
  } else if (opts.quick) {
    for (const b of [128, 256, 512]) grid.push({ b, n: 256, k: 5, vary: 'B' });
  } else {
    for (const b of [512, 1024, 2048, 4096]) grid.push({ b, n: 1024, k: 10, vary: 'B' });
    for (const n of [256, 512, 2048]) grid.push({ b: 2048, n, k: 10, vary: 'N' });
    for (const k of [5, 20, 40]) grid.push({ b: 2048, n: 1024, k, vary: 'K' });
  }
  for (const g of grid) {
    const p = plantedSparseProblem({ n: g.n, m: cfg.m, b: g.b, k: g.k, nonneg: true, noise: SIGMA, seed: 7 });
    const { value: c, cpuSeconds: cCpu } = withCpu(() => lassoCD(p.X, p.D, { lambda: LAMBDA, nonneg: true, tol: 1e-6, progress: false }));
    const { value: ob, cpuSeconds: oCpu2 } = withCpu(() => omp(p.X, p.D, { k: g.k }));
    const nm = `scaling ${g.vary}: N=${g.n} M=${cfg.m} B=${g.b} K=${g.k}`;
    out.push({ name: nm, impl: 'workbook/cd', seconds: c.seconds, cpuSeconds: cCpu, relDualityGap: c.dualityGap! / c.objective, meanL0: meanL0(c.codes) });
    out.push({ name: nm, impl: 'workbook/omp', seconds: ob.seconds, cpuSeconds: oCpu2 });
  }
  return out;
}

if (require.main === module) {
  bench({ quick: process.argv.includes('--quick') }).then((rows) => {
    for (const r of rows) console.log(JSON.stringify(r));
  }, (e) => { console.error(e); process.exit(1); });
}
