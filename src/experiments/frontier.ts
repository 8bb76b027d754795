/**
 * Notebook 06, step 2: the reconstruction/sparsity frontier of a layer's activations — fraction of variance
 * unexplained (FVU) against the mean number of active units per example (L0) — for
 *  - the neurons themselves and the PCA basis (best k-term approximation: per example keep the k largest
 *    |coefficients| of x − μ in that orthonormal basis),
 *  - TopK SAEs of several sizes and K (their encoder's codes),
 *  - the same SAEs' decoders with explicit sparse inference (non-negative OMP with the same K: equal L0),
 *  - classical dictionary learning (MOD + non-negative OMP).
 * Everything is fitted on `set.train` and evaluated on `set.test`. Shapes: X B×M, D N×M, Z B×N.
 */
import { Matrix, selectRows } from '../core/matrix';
import { checkInt } from '../core/validate';
import { ValueError } from '../core/errors';
import { fvu, kTermFvu } from '../metrics/reconstruction';
import { meanL0 } from '../metrics/sparsity';
import { createLearner } from '../dictionary/registry';
import { SparseAutoencoder } from '../dictionary/sae_base';
import type { DictionaryLearner } from '../dictionary/classical';
import { DictionaryInference } from '../dictionary/sae_inference';
import { ActivationSet } from './activation_set';
import { principalDirections } from '../core/decompositions';

/** One point of the frontier. */
export interface FrontierRow {
  /** `${model} · ${codes}`, e.g. 'TopK SAE · encoder', 'TopK SAE · OMP', 'DL · OMP', 'neurons · basis'. */
  method: string;
  /** 'neurons', 'PCA', 'TopK SAE', 'BatchTopK SAE', 'ReLU SAE' or 'DL'. */
  model: string;
  /** How codes were obtained: 'basis' (k-term), 'encoder' (the SAE's) or 'OMP' (non-negative OMP on the model's dictionary). */
  codes: 'basis' | 'encoder' | 'OMP';
  /** Atoms N (M for the bases). */
  atoms: number;
  /** N / M. */
  overcomplete: number;
  /** K: active units allowed per example. */
  k: number;
  /** Measured mean L0 of the codes on the test examples. */
  l0: number;
  /** FVU on the test examples. */
  fvu: number;
  /** Seconds to fit (0 for the bases) and to encode the test examples. */
  fitSeconds: number;
  encodeSeconds: number;
}


/** Options of {@link reconstructionFrontier}. */
export interface FrontierOptions {
  /** Dictionary sizes as multiples of M (default [2, 4, 8]). */
  sizes?: number[];
  /** Active units per example K (default [4, 8, 16]). */
  ks?: number[];
  /** SAE training: Adam steps (default: from epochs), epochs over set.train (default 5), batch (default 1024), peak lr (default 1e-3). */
  steps?: number;
  epochs?: number;
  batch?: number;
  lr?: number;
  /** Classical DL: sizes (default [4]), K (default [8]), training examples (default 10000), iterations (default 15). */
  dlSizes?: number[];
  dlKs?: number[];
  dlSamples?: number;
  dlIterations?: number;
  /** Other SAEs to add as single points: kind, size (× M), K (TopK, BatchTopK) or λ (ReLU). */
  extraSaes?: { kind: 'topk' | 'batchtopk' | 'relu'; size: number; k?: number; lambda?: number }[];
  /** Neuron / PCA k values (default 1, 2, 4, …, M). */
  basisKs?: number[];
  seed?: number;
  progress?: boolean;
  /** Called before each model is fitted (e.g. a progress line). */
  onModel?: (label: string, index: number, total: number) => void;
}

/** A fitted dictionary and its codes on the test examples (kept for the unit scores). */
export interface FrontierModel {
  label: string;
  /** 'TopK SAE', 'BatchTopK SAE', 'ReLU SAE' or 'DL'. */
  kind: string;
  atoms: number;
  k: number;
  model: SparseAutoencoder | DictionaryLearner;
  /** Codes of set.test (B_test×N): the SAE encoder's for SAEs, OMP's for DL. */
  testCodes: Matrix<Float32Array>;
}

/** Result of {@link reconstructionFrontier}. */
export interface Frontier {
  rows: FrontierRow[];
  models: FrontierModel[];
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const v = f();
  return [v, (performance.now() - t0) / 1000];
}

/** Evenly spread subsample of at most `n` rows (deterministic: rows ⌊i·B/n⌋). */
function subsample(X: Matrix, n: number): Matrix {
  return X.rows <= n ? X : selectRows(X, Int32Array.from({ length: n }, (_, i) => Math.floor((i * X.rows) / n)));
}

/**
 * The frontier of {@link FrontierRow}s for a layer's activations, and the fitted models with their test
 * codes. Seeded; each SAE has its own seed (seed + index).
 */
export function reconstructionFrontier(set: ActivationSet, o: FrontierOptions = {}): Frontier {
  const Xtr = set.train, Xte = set.test, M = Xtr.cols;
  if (Xte.cols !== M) throw new ValueError(`reconstructionFrontier: train has ${M} units but test has ${Xte.cols}`);
  const seed = o.seed ?? 0;
  const sizes = o.sizes ?? [2, 4, 8], ks = o.ks ?? [4, 8, 16];
  const dlSizes = o.dlSizes ?? [4], dlKs = o.dlKs ?? [8];
  const basisKs = o.basisKs ?? (() => { const v: number[] = []; for (let k = 1; k < M; k *= 2) v.push(k); v.push(M); return v; })();
  const rows: FrontierRow[] = [];
  const models: FrontierModel[] = [];
  const push = (model: string, codes: FrontierRow['codes'], r: Omit<FrontierRow, 'method' | 'model' | 'codes'>) =>
    rows.push({ method: `${model} · ${codes}`, model, codes, ...r });
  // bases
  const pca = principalDirections(Xtr, M);
  for (const k of basisKs) {
    push('neurons', 'basis', { atoms: M, overcomplete: 1, k, l0: k, fvu: kTermFvu(Xte, pca.mean, null, k), fitSeconds: 0, encodeSeconds: 0 });
    push('PCA', 'basis', { atoms: M, overcomplete: 1, k, l0: k, fvu: kTermFvu(Xte, pca.mean, pca.directions, k), fitSeconds: 0, encodeSeconds: 0 });
  }
  const specs: { kind: 'topk' | 'batchtopk' | 'relu'; size: number; k?: number; lambda?: number }[] = [
    ...sizes.flatMap((size) => ks.map((k) => ({ kind: 'topk' as const, size, k }))), ...(o.extraSaes ?? []),
  ];
  const total = specs.length + dlSizes.length * dlKs.length;
  let index = 0;
  const kindName = { topk: 'TopK SAE', batchtopk: 'BatchTopK SAE', relu: 'ReLU SAE' } as const;
  for (const sp of specs) {
    const N = Math.round(sp.size * M), name = kindName[sp.kind];
    const label = `${name} ${sp.size}× ${sp.kind === 'relu' ? `λ=${sp.lambda ?? 0.05}` : `K=${sp.k}`}`;
    o.onModel?.(label, index, total);
    const cfg = { features: N, k: sp.k, lambda: sp.lambda, seed: seed + 1 + index++ };
    const sae: SparseAutoencoder = sp.kind === 'relu' ? createLearner({ method: 'sae-relu', ...cfg, lambda: sp.lambda ?? 0.05 })
      : sp.kind === 'topk' ? createLearner({ method: 'sae-topk', ...cfg, k: sp.k! }) : createLearner({ method: 'sae-batchtopk', ...cfg, k: sp.k! });
    const [, fitS] = timed(() => sae.fit(Xtr, { steps: o.steps, epochs: o.epochs ?? 5, batch: o.batch ?? 1024, lr: o.lr ?? 1e-3, progress: o.progress ?? false }));
    const [z, encS] = timed(() => sae.encode(Xte));
    const l0 = meanL0(z);
    // explicit inference on the same decoder with the same number of active atoms: K for TopK, else the
    // encoder's measured mean L0 (BatchTopK's K is a batch average; ReLU has no K)
    const k = Math.min(M, sp.kind === 'topk' ? sp.k! : Math.max(1, Math.round(l0)));
    push(name, 'encoder', { atoms: N, overcomplete: sp.size, k, l0, fvu: fvu(Xte, sae.decode(z)), fitSeconds: fitS, encodeSeconds: encS });
    const inf = DictionaryInference.fromModel(sae, { method: 'omp', k, nonneg: true });
    const [zo, ompS] = timed(() => inf.encode(Xte));
    push(name, 'OMP', { atoms: N, overcomplete: sp.size, k, l0: meanL0(zo), fvu: fvu(Xte, inf.decode(zo)), fitSeconds: fitS, encodeSeconds: ompS });
    models.push({ label, kind: name, atoms: N, k, model: sae, testCodes: z });
  }
  const dlTrain = subsample(Xtr, o.dlSamples ?? 10000);
  for (const f of dlSizes) {
    for (const k of dlKs) {
      const N = Math.round(f * M);
      const label = `DL (MOD + OMP) ${f}× K=${k}`;
      o.onModel?.(label, index, total);
      const dl = createLearner({ method: 'dl', features: N, k, seed: seed + 1 + index++ }); // non-negative OMP + MOD
      const [, fitS] = timed(() => dl.fit(dlTrain, { iterations: o.dlIterations ?? 15, progress: o.progress ?? false }));
      const [z, encS] = timed(() => dl.encode(Xte));
      push('DL', 'OMP', { atoms: N, overcomplete: f, k, l0: meanL0(z), fvu: fvu(Xte, dl.decode(z)), fitSeconds: fitS, encodeSeconds: encS });
      models.push({ label, kind: 'DL', atoms: N, k, model: dl, testCodes: z });
    }
  }
  return { rows, models };
}

/** One SAE of a frontier: its encoder against OMP on its decoder at the same K. */
export interface GapRow { model: string; atoms: number; k: number; encoderFvu: number; inferenceFvu: number; encoderL0: number; inferenceL0: number; inferenceWins: boolean }

/**
 * For each SAE of a frontier (every model with 'encoder' and 'OMP' rows): FVU of the SAE encoder and of
 * non-negative OMP on its decoder at the same K, and whether inference won (lower FVU).
 */
export function amortisationGapOnFrontier(rows: FrontierRow[]): GapRow[] {
  return rows.filter((r) => r.codes === 'encoder').map((e) => {
    const i = rows.find((r) => r.codes === 'OMP' && r.model === e.model && r.atoms === e.atoms && r.k === e.k);
    if (!i) throw new ValueError(`amortisationGapOnFrontier: no OMP row for ${e.model} N=${e.atoms}, K=${e.k}`);
    return { model: e.model, atoms: e.atoms, k: e.k, encoderFvu: e.fvu, inferenceFvu: i.fvu, encoderL0: e.l0, inferenceL0: i.l0, inferenceWins: i.fvu < e.fvu };
  });
}
