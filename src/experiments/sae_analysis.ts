/**
 * Analysing a trained SAE on data (`superposition analyze`, notebook use): how well it reconstructs, how sparse
 * and how alive its features are, its amortisation gap — its encoder against explicit sparse inference on its
 * own decoder at the same L0 — and, with ground truth, how well its codes and its dictionary recover it.
 *
 * Shapes: X B×M, the SAE's dictionary D N×M (atoms in rows), codes Z B×N, true codes B×N_true, true dictionary
 * N_true×M. The SAE may come from anywhere (`loadSae`: SAELens's format or the workbook's).
 */
import { ShapeError } from '../core/errors';
import { Matrix, matrix, selectRows } from '../core/matrix';
import { checkMatrix } from '../core/validate';
import { SparseAutoencoder } from '../dictionary/sae_base';
import { DictionaryInference } from '../dictionary/sae_inference';
import { mcc } from '../metrics/mcc';
import { dictionaryRecovery } from '../metrics/dictionary';
import { fvu } from '../metrics/reconstruction';
import { ActivationSet } from './activation_set';
import type { FrontierModel, FrontierRow } from './frontier';

/** Options of {@link analyzeSae}. */
export interface SaeAnalysisOptions {
  /** True codes of the same samples (B×N_true): adds the MCC of the encoder's and of OMP's codes. */
  trueCodes?: Matrix;
  /** True dictionary (N_true×M, atoms in rows): adds dictionary recovery of the SAE's decoder. */
  trueDictionary?: Matrix;
  /** Run OMP on the decoder for the amortisation gap (default true; it costs about B·(N·M + L0²·N) flops). */
  inference?: boolean;
}

/** Result of {@link analyzeSae}. Ratios are plain fractions; null where the input needed was not given. */
export interface SaeAnalysis {
  samples: number;
  /** M (d_in) and N (d_sae). */
  dIn: number;
  dSae: number;
  /** The SAE's kind: 'relu' | 'topk' | 'batchtopk' | 'jumprelu'. */
  kind: string;
  /** Fraction of variance unexplained by decode(encode(X)) (pooled over dimensions; 0 = perfect). */
  fvu: number;
  /** Mean number of non-zero codes per sample. */
  meanL0: number;
  /** Fraction of the N features that are zero on every sample. */
  deadFraction: number;
  /** FVU of non-negative OMP on the SAE's decoder (and b_dec), each sample given as many atoms as the encoder used on it. */
  ompFvu: number | null;
  /** Mean L0 of those OMP codes (≤ meanL0: OMP stops early when the residual is explained). */
  ompMeanL0: number | null;
  /** Amortisation gap in FVU: fvu − ompFvu (> 0: inference on the same dictionary reconstructs better). */
  amortisationGapFvu: number | null;
  /** MCC of the encoder's codes with the true codes (Hungarian-matched mean |Pearson r|). */
  mcc: number | null;
  /** MCC of the OMP codes with the true codes. */
  ompMcc: number | null;
  /** Amortisation gap in MCC: ompMcc − mcc (> 0: inference recovers the true codes better). */
  amortisationGapMcc: number | null;
  /** Dictionary recovery of the decoder: mean best |cos| per true atom, and after one-to-one matching. */
  dictMeanBestCos: number | null;
  dictMatchedCos: number | null;
  /** Wall-clock seconds of the analysis. */
  seconds: number;
}

/** Non-zeros of each row of Z (B×N). */
function rowL0(Z: Matrix): Int32Array {
  const out = new Int32Array(Z.rows);
  for (let b = 0; b < Z.rows; b++) for (let i = 0; i < Z.cols; i++) if (Z.data[b * Z.cols + i] !== 0) out[b]++;
  return out;
}

/**
 * Codes of X (B×M) by non-negative OMP on the SAE's decoder (after subtracting b_dec), giving sample b as many
 * atoms as `Z` (the encoder's codes, B×N) has non-zeros in row b: inference at the encoder's own L0, sample by
 * sample (samples with no active code get none). Returns B×N float32 codes (decode them with the SAE's `decode`).
 * Cost: OMP runs once per distinct L0 value (TopK: once), each run forming the decoder's N×N Gram matrix (N²·M
 * flops, 8·N² bytes), plus about B·L0·N per sample group.
 */
export function ompAtEqualL0(sae: SparseAutoencoder, X: Matrix, Z: Matrix): Matrix<Float32Array> {
  const N = sae.features;
  if (Z.rows !== X.rows || Z.cols !== N) throw new ShapeError(`ompAtEqualL0: codes are ${Z.rows}×${Z.cols} but X has ${X.rows} rows and the SAE ${N} features`);
  // OMP picks atoms by raw correlation, so it runs on unit atoms; the codes are rescaled to the SAE's own decoder
  // (SAELens decoders need not have unit rows), so that sae.decode gives OMP's reconstruction
  const D = sae.dictionary, M = D.cols, norms = new Float64Array(N), unit = new Float32Array(N * M);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < M; j++) s += D.data[i * M + j] ** 2;
    norms[i] = Math.sqrt(s);
    if (norms[i] > 0) for (let j = 0; j < M; j++) unit[i * M + j] = D.data[i * M + j] / norms[i];
  }
  const bias = sae.config.bias ? sae.bDec : undefined;
  const l0 = rowL0(Z), out = new Float32Array(X.rows * N);
  const groups = new Map<number, number[]>();
  l0.forEach((k, b) => { if (k > 0) { const g = groups.get(k); if (g) g.push(b); else groups.set(k, [b]); } });
  for (const [k, rows] of groups) {
    const codes = new DictionaryInference(matrix(N, M, unit), { method: 'omp', k, nonneg: true }, { bias }).encode(selectRows(X, rows));
    rows.forEach((b, r) => {
      for (let i = 0; i < N; i++) { const v = codes.data[r * N + i]; if (v !== 0) out[b * N + i] = v / norms[i]; }
    });
  }
  return matrix(X.rows, N, out);
}

/**
 * Analyse `sae` on data X (B×M): FVU, mean L0 and dead fraction of its encoder; the amortisation gap against
 * non-negative OMP on its decoder at equal per-sample L0 ({@link ompAtEqualL0}); with `trueCodes`, the MCC of
 * both codes; with `trueDictionary`, dictionary recovery. Deterministic.
 */
export function analyzeSae(sae: SparseAutoencoder, Xin: Matrix, opts: SaeAnalysisOptions = {}): SaeAnalysis {
  const t0 = performance.now();
  const X = checkMatrix('X (data, B×M)', Xin, { cols: sae.dim, names: ['B', 'M'] });
  if (opts.trueCodes && opts.trueCodes.rows !== X.rows) {
    throw new ShapeError(`true codes have ${opts.trueCodes.rows} rows but X has ${X.rows}; they must list the same samples in the same order`);
  }
  if (opts.trueDictionary && opts.trueDictionary.cols !== X.cols) {
    throw new ShapeError(`the true dictionary has ${opts.trueDictionary.cols} columns but X has ${X.cols}; atoms must live in the data's space (N_true×M)`);
  }
  const Z = sae.encode(X);
  const l0 = rowL0(Z);
  const used = new Uint8Array(sae.features);
  for (let q = 0; q < Z.data.length; q++) if (Z.data[q] !== 0) used[q % sae.features] = 1;
  const out: SaeAnalysis = {
    samples: X.rows, dIn: sae.dim, dSae: sae.features, kind: sae.kind,
    fvu: fvu(X, sae.decode(Z)), meanL0: l0.reduce((a, b) => a + b, 0) / X.rows,
    deadFraction: used.reduce((a, u) => a + (u ? 0 : 1), 0) / sae.features,
    ompFvu: null, ompMeanL0: null, amortisationGapFvu: null, mcc: null, ompMcc: null, amortisationGapMcc: null,
    dictMeanBestCos: null, dictMatchedCos: null, seconds: 0,
  };
  let Zo: Matrix | null = null;
  if (opts.inference ?? true) {
    Zo = ompAtEqualL0(sae, X, Z);
    out.ompFvu = fvu(X, sae.decode(Zo));
    out.ompMeanL0 = rowL0(Zo).reduce((a, b) => a + b, 0) / X.rows;
    out.amortisationGapFvu = out.fvu - out.ompFvu;
  }
  if (opts.trueCodes) {
    out.mcc = mcc(opts.trueCodes, Z).mcc;
    if (Zo) { out.ompMcc = mcc(opts.trueCodes, Zo).mcc; out.amortisationGapMcc = out.ompMcc - out.mcc; }
  }
  if (opts.trueDictionary) {
    const r = dictionaryRecovery(opts.trueDictionary, sae.dictionary);
    out.dictMeanBestCos = r.meanBestCos;
    out.dictMatchedCos = r.matchedCos;
  }
  out.seconds = (performance.now() - t0) / 1000;
  return out;
}

/**
 * A trained SAE brought from elsewhere (e.g. `loadSae(process.env.WORKBOOK_SAE)`, an SAELens directory) as
 * an entry of notebook 06's frontier: its encoder's and OMP's (equal per-sample L0) points on `set.test`, and
 * the model with its test codes for the unit scores. Nothing is fitted (fitSeconds 0). `label` names it in
 * the rows' `model` and the model's `kind` (default 'own SAE').
 */
export function frontierEntryOfSae(sae: SparseAutoencoder, set: ActivationSet, label = 'own SAE'): { rows: FrontierRow[]; model: FrontierModel } {
  const M = set.test.cols, N = sae.features;
  if (sae.dim !== M) throw new ShapeError(`the SAE reads d_in = ${sae.dim} but the activations (${set.source}) have ${M} units; give the SAE trained on this layer`);
  const t0 = performance.now();
  const Z = sae.encode(set.test);
  const encS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const Zo = ompAtEqualL0(sae, set.test, Z);
  const ompS = (performance.now() - t1) / 1000;
  const l0 = rowL0(Z).reduce((a, b) => a + b, 0) / Z.rows, ol0 = rowL0(Zo).reduce((a, b) => a + b, 0) / Zo.rows;
  const k = sae.kind === 'topk' ? sae.config.k : Math.max(1, Math.round(l0));
  const row = (codes: 'encoder' | 'OMP', l: number, f: number, s: number): FrontierRow => ({
    method: `${label} · ${codes}`, model: label, codes, atoms: N, overcomplete: N / M, k, l0: l, fvu: f, fitSeconds: 0, encodeSeconds: s,
  });
  return {
    rows: [row('encoder', l0, fvu(set.test, sae.decode(Z)), encS), row('OMP', ol0, fvu(set.test, sae.decode(Zo)), ompS)],
    model: { label: `${label} (${sae.kind}, N=${N})`, kind: label, atoms: N, k, model: sae, testCodes: Z },
  };
}
