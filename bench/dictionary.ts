/**
 * Dictionary-learning benchmark (issue 6), workbook and Python peers side by side in the same run.
 *
 * 1. SAE training throughput (samples/s), ReLU-L1 and TopK, M=256, F=1024, batch 1024, Adam — against the
 *    same models in PyTorch (each peer stack, 2 threads) on the same arrays, the two sides taking turns for
 *    {@link ROUNDS} rounds (medians compared); targets ReLU ≥ 1×, TopK ≥ 2× the best.
 *    TopK twice: with the auxiliary-K loss on both sides (the workbook's default TopK fit; the peer adds
 *    dictionary_learning's loss, same α, k_aux = M/2 and dead window of 2 steps) and with it off on both sides.
 * 2. Classical dictionary learning on a planted problem (N=200, M=50, K=4 non-negative, 15k samples, σ=0.01):
 *    OMP + MOD against scikit-learn's MiniBatchDictionaryLearning (positive codes); mean best cosine and
 *    code MCC with the same metrics; target best cos ≥ 0.95 and MCC ≥ 0.9 in less time than sklearn.
 * 3. Full mode only: the issue's planted problem (N=256, M=64, K=5, 20k samples, σ=0.01) — MOD, K-SVD, each SAE
 *    variant, and "SAE decoder + OMP" on it.
 *   npm run bench -- --only dictionary [--quick]      or      node --import tsx bench/dictionary.ts [--quick]
 * Timings on a shared 2-core machine: compare rows of the same run only. DICT_BENCH_ONLY=sae|dl|issue runs one part.
 */
import path from 'node:path';
import { initBackend } from '../src/core/backend';
import { Matrix } from '../src/core/matrix';
import { readMatrix, writeNpy } from '../src/io/npy';
import { plantedSparseData } from '../src/data/synthetic';
import { createLearner } from '../src/dictionary/registry';
import { AUXK_ALPHA } from '../src/dictionary/sae_auxk';
import { SparseAutoencoder } from '../src/dictionary/sae_base';
import { DictionaryInference } from '../src/dictionary/sae_inference';
import { dictionaryRecovery } from '../src/metrics/dictionary';
import { mcc } from '../src/metrics/mcc';
import { fvu } from '../src/metrics/reconstruction';
import { BenchResult, PEER_THREADS, PeerRun, ROUNDS, alternate, peerRoundRows, peerRows, peerStacks, peerValues, roundsFor, runPeerOn, runPeers, scratchDir, versusRounds, versusRow } from './common';

function quality(truth: { D: Matrix; Z: Matrix; X: Matrix }, D: Matrix, Z: Matrix, Xh?: Matrix) {
  return {
    best_cos: dictionaryRecovery(truth.D, D).meanBestCos,
    mcc: mcc(truth.Z, Z).mcc,
    ...(Xh ? { fvu: fvu(truth.X, Xh) } : {}),
  };
}

/** mean_b ‖x_b − x̂_b‖² + λ·mean_b Σ_i z_bi of a trained SAE on X (the bench peer computes the same). */
function dataLoss(sae: SparseAutoencoder, X: Matrix, lam: number): number {
  const Z = sae.encode(X), Xh = sae.decode(Z);
  let sq = 0, l1 = 0;
  for (let q = 0; q < Xh.data.length; q++) sq += (Xh.data[q] - X.data[q]) ** 2;
  for (let q = 0; q < Z.data.length; q++) l1 += Z.data[q];
  return (sq + lam * l1) / X.rows;
}

async function saeThroughput(quick: boolean): Promise<BenchResult[]> {
  const M = 256, F = 1024, B = 1024, K = 32, lam = 0.01;
  const steps = quick ? 15 : 60;
  const data = plantedSparseData({ n: 2048, m: M, k: 16, samples: 8 * B, seed: 11 });
  const dir = scratchDir('bench-dict-');
  writeNpy(path.join(dir, 'X.npy'), data.X);
  const out: BenchResult[] = [];
  const deadSteps = 2, kAux = M / 2;
  for (const [kind, auxk] of [['relu', false], ['topk', true], ['topk', false]] as const) {
    const aux = auxk ? { alpha: AUXK_ALPHA, k: kAux, deadSamples: deadSteps * B } : false as const;
    const fresh = (): SparseAutoencoder => kind === 'relu' ? createLearner({ method: 'sae-relu', features: F, lambda: lam, seed: 1 }) : createLearner({ method: 'sae-topk', features: F, k: K, seed: 1 });
    fresh().fit(data.X, { steps: 3, batch: B, resampleEvery: 0, auxk: aux, progress: false }); // warm-up (JIT, wasm)
    const label = kind === 'relu' ? 'ReLU-L1' : `TopK K=${K} ${auxk ? '+ auxiliary-K loss' : 'no auxiliary loss'}`;
    const name = `SAE-${kind} train M=${M} F=${F} B=${B}${kind === 'topk' ? ` K=${K}${auxk ? ' auxk' : ''}` : ''}`;
    const measured = await alternate(roundsFor(quick), async (round) => {
      const sae = fresh();
      const r = sae.fit(data.X, { steps, batch: B, resampleEvery: 0, warmup: 0, decay: 0, penaltyWarmup: 0, auxk: aux, progress: false });
      // final_loss: ours is an average over the last ~20 steps, PyTorch's the last batch's; data_loss is the trained
      // model's loss on all of X for both (a check that the two train alike, from different random initialisations)
      out.push({ name, impl: 'workbook', round: round + 1, seconds: r.seconds, steps, samples_per_second: r.samplesPerSecond, final_loss: r.loss,
        data_loss: dataLoss(sae, data.X, kind === 'relu' ? lam : 0) });
      return r.samplesPerSecond;
    }, () => runPeers('dictionary_torch.py', [dir, '--kind', kind, '--features', String(F), '--k', String(K), '--lambda', String(lam),
      '--steps', String(steps), '--batch', String(B), '--threads', String(PEER_THREADS),
      ...(auxk ? ['--auxk-dead-steps', String(deadSteps), '--auxk-k', String(kAux), '--auxk-alpha', String(AUXK_ALPHA)] : [])]));
    out.push(...peerRoundRows(name, measured.peers, ['steps', 'samples_per_second', 'final_loss', 'data_loss']));
    out.push(versusRounds({ name: `SAE ${label} M=${M} F=${F}, batch ${B}`, metric: 'samples/s', ours: measured.ours, peers: measured.peers,
      field: 'samples_per_second', target: kind === 'relu' ? 1 : 2 }));
  }
  return out;
}

async function classicalVsSklearn(quick: boolean): Promise<BenchResult[]> {
  const [N, M, K, S] = quick ? [100, 40, 3, 4000] : [200, 50, 4, 15000];
  const data = plantedSparseData({ n: N, m: M, k: K, samples: S, seed: 21, noise: 0.01 });
  const name = `DL planted N=${N} M=${M} K=${K} B=${S}`;
  const out: BenchResult[] = [];
  const dl = createLearner({ method: 'dl', features: N, k: K, seed: 1 }); // MOD updates, OMP inference
  const t0 = performance.now();
  // 20 alternations: best cosine 0.998 and MCC 0.998 on this problem (30 gave 1.000 / 0.9999 in 1.5× the time;
  // 15 gives 0.992 / 0.994, 10 gives 0.981 / 0.965), well above the targets 0.95 / 0.9.
  dl.fit(data.X, { iterations: 20, progress: false });
  const Z = dl.encode(data.X);
  const sec = (performance.now() - t0) / 1000;
  const q = quality(data, dl.dictionary, Z, dl.decode(Z));
  out.push({ name, impl: 'workbook OMP+MOD', seconds: sec, ...q, target_met: q.best_cos >= 0.95 && q.mcc >= 0.9 });
  const dir = scratchDir('bench-dl-');
  writeNpy(path.join(dir, 'X.npy'), data.X);
  const runs: PeerRun[] = [];
  for (const stack of peerStacks()) { // one stack at a time: each writes its D and Z to the same files
    const p = runPeerOn(stack, 'dictionary_sklearn.py', [dir, '--atoms', String(N), '--alpha', '0.05', '--epochs', quick ? '3' : '10', '--batch', '256']);
    runs.push(p);
    if (!p.result) { out.push({ name, impl: `${stack.label} sklearn`, seconds: NaN, skipped: p.reason }); continue; }
    const D = readMatrix(path.join(dir, 'D_sklearn.npy')), Zs = readMatrix(path.join(dir, 'Z_sklearn.npy'));
    out.push({ name, impl: `${stack.label} ${String(p.result.impl)} MiniBatchDL α=0.05`, seconds: Number(p.result.seconds), ...quality(data, D, Zs) });
  }
  out.push(versusRow({ name: `dictionary learning N=${N} M=${M} K=${K} (OMP+MOD vs MiniBatchDL)`, metric: 'seconds', sense: 'time', ours: sec,
    peers: peerValues(runs, 'seconds'), target: 1 }));
  return out;
}

async function issueProblem(): Promise<BenchResult[]> {
  const data = plantedSparseData({ n: 256, m: 64, k: 5, samples: 20000, seed: 31, noise: 0.01 });
  const name = 'planted N=256 M=64 K=5 B=20000';
  const out: BenchResult[] = [];
  for (const [label, dl] of [['OMP+MOD', createLearner({ method: 'dl', features: 256, k: 5, seed: 1 })], ['K-SVD', createLearner({ method: 'ksvd', features: 256, k: 5, seed: 1 })]] as const) {
    const t0 = performance.now();
    dl.fit(data.X, { iterations: 30, progress: false });
    const Z = dl.encode(data.X);
    out.push({ name, impl: `workbook ${label}`, seconds: (performance.now() - t0) / 1000, ...quality(data, dl.dictionary, Z, dl.decode(Z)) });
  }
  const saes: [string, SparseAutoencoder][] = [
    ['SAE-relu λ=0.05', createLearner({ method: 'sae-relu', features: 256, lambda: 0.05, seed: 1 })],
    ['SAE-topk K=5', createLearner({ method: 'sae-topk', features: 256, k: 5, seed: 1 })],
    ['SAE-batchtopk K=5', createLearner({ method: 'sae-batchtopk', features: 256, k: 5, seed: 1 })],
    ['SAE-jumprelu λ=0.02', createLearner({ method: 'sae-jumprelu', features: 256, lambda: 0.02, seed: 1 })],
  ];
  for (const [label, sae] of saes) {
    const r = sae.fit(data.X, { epochs: 30, batch: 512, lr: 2e-3, progress: false });
    const Z = sae.encode(data.X);
    out.push({ name, impl: `workbook ${label}`, seconds: r.seconds, ...quality(data, sae.dictionary, Z, sae.decode(Z)), dead: r.deadFraction });
    const inf = DictionaryInference.fromModel(sae, { method: 'omp', k: 5 });
    const Zi = inf.encode(data.X);
    out.push({ name, impl: `workbook ${label} decoder + OMP`, seconds: 0, ...quality(data, sae.dictionary, Zi, inf.decode(Zi)) });
  }
  return out;
}

/** The dictionary benchmark rows (see the module comment). */
export async function bench(opts: { quick: boolean }): Promise<BenchResult[]> {
  await initBackend();
  const only = process.env.DICT_BENCH_ONLY; // 'sae' | 'dl' | 'issue' to run one part
  const rows: BenchResult[] = [];
  if (!only || only === 'sae') rows.push(...await saeThroughput(opts.quick));
  if (!only || only === 'dl') rows.push(...await classicalVsSklearn(opts.quick));
  if ((!only && !opts.quick) || only === 'issue') rows.push(...await issueProblem());
  return rows;
}

if (require.main === module) {
  bench({ quick: process.argv.includes('--quick') }).then((r) => console.table(r), (e) => { console.error(e); process.exit(1); });
}
