/**
 * SAELens's on-disk SAE format: a directory with `cfg.json` and `sae_weights.safetensors` (what
 * `SAE.save_model` / `save_inference_model` write and `SAE.load_from_disk` reads; Neuronpedia's SAEs come so).
 * Names and conventions matched: SAELens 6.18 (sae_lens/saes/sae.py, standard_sae.py, topk_sae.py,
 * jumprelu_sae.py, batchtopk_sae.py; sae_lens/loading/pretrained_sae_loaders.py for configs before 6.0).
 *
 * SAELens's inference forward, for x (d_in):
 *   sae_in = x − b_dec·[apply_b_dec_to_input];  pre = sae_in·W_enc + b_enc  (W_enc d_in×d_sae)
 *   standard: z = ReLU(pre);  topk: the k largest of pre, ReLU'd;  jumprelu: z = ReLU(pre)·[pre > threshold]
 *   x̂ = z·W_dec + b_dec  (W_dec d_sae×d_in, one feature per row)
 * The workbook's SAEs compute pre = (x − b_dec)·Eᵀ + b_enc and x̂ = z·D + b_dec with E, D N×M (one feature per row),
 * so W_enc = Eᵀ, W_dec = D, and N = d_sae, M = d_in.
 *
 * Reading folds what our classes do not have into the weights, exactly (up to float32 rounding):
 * - `apply_b_dec_to_input: false`: b_enc ← b_enc − b_dec·W_enc;
 * - TopK (and BatchTopK) `rescale_acts_by_decoder_norm: true`: E_i, b_enc_i ← ·‖W_dec,i‖ and D_i ← /‖W_dec,i‖
 *   (SAELens's own `_fold_norm_topk`);
 * - a `scaling_factor` / `finetuning_scaling_factor` tensor (older SAEs): D_i ← s_i·D_i;
 * - `normalize_activations: "expected_average_only_in"` with the constant factor f the SAE was trained with:
 *   W_enc ← f·W_enc, W_dec ← W_dec/f, b_dec ← b_dec/f (`fold_activation_norm_scaling_factor`).
 * Our JumpReLU keeps log θ in float32, so a threshold read comes back within a few float32 ulps of the stored one
 * (exactly when a float32 log θ gives it); a threshold ≤ 0 becomes θ = 0, which SAELens's ReLU makes equivalent.
 * Per-sample normalisations ("constant_norm_rescale", "layer_norm") and other architectures (gated, transcoders,
 * matryoshka) are refused with the reason. Weights in any float precision are read and computed in float32.
 * A BatchTopK training checkpoint (architecture "batchtopk", `topk_threshold`) becomes a {@link BatchTopKSae}.
 *
 * Writing: ReLU → "standard", TopK → "topk" (k), JumpReLU → "jumprelu" (threshold = exp(log θ)), and BatchTopK
 * (Matryoshka BatchTopK too: SAELens's training-only "matryoshka_batchtopk", widths kept in metadata) → "jumprelu" with every feature's threshold the learned θ, as SAELens's own `save_inference_model` turns a
 * BatchTopK SAE into a JumpReLU one ("batchtopk" is a training-only architecture in SAELens: `SAE.load_from_disk`
 * cannot load it). The stored threshold is the float32 just below θ, so SAELens's strict `pre > threshold` keeps
 * exactly the codes our `pre ≥ θ` keeps. One difference remains: on ties at the K-th value our TopK keeps every
 * tied feature, SAELens's `torch.topk` exactly K.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataFileError, ValueError } from '../core/errors';
import { readRegularText, writeFilesAtomic } from '../io/files';
import { encodeSafetensors, readSafetensors, SafeTensor, tensorToFloat32 } from '../io/safetensors';
import { SparseAutoencoder } from './sae_base';
import { ReluSae } from './sae_relu';
import { TopKSae } from './sae_topk';
import { BatchTopKSae } from './sae_batchtopk';
import { MatryoshkaSae, prefixEnds } from './sae_matryoshka';
import { JumpReluSae } from './sae_jumprelu';
import { loadDictionaryModel } from './registry';

/** File names of the format (SAELens's `SAE_CFG_FILENAME`, `SAE_WEIGHTS_FILENAME`). */
export const SAELENS_CFG_FILE = 'cfg.json';
export const SAELENS_WEIGHTS_FILE = 'sae_weights.safetensors';
/** SAELens version whose config format is written (its loader treats configs of versions < 6 as legacy). */
export const SAELENS_FORMAT_VERSION = '6.18.0';

/** Architectures read (batchtopk: a training checkpoint) and written. */
export const SAELENS_ARCHITECTURES = ['standard', 'topk', 'jumprelu', 'batchtopk'] as const;
/** One of {@link SAELENS_ARCHITECTURES}. */
export type SaeLensArchitecture = typeof SAELENS_ARCHITECTURES[number];

/** The config of an SAELens directory after SAELens's own defaulting (pre-6.0 keys translated). */
export interface SaeLensConfig {
  architecture: SaeLensArchitecture;
  d_in: number;
  d_sae: number;
  /** Stored dtype name (weights are computed in float32 here whatever it says). */
  dtype: string;
  apply_b_dec_to_input: boolean;
  normalize_activations: 'none' | 'expected_average_only_in' | 'constant_norm_rescale' | 'layer_norm';
  /** TopK / BatchTopK: active features per sample (BatchTopK: on average). */
  k?: number;
  /** TopK / BatchTopK: pre-activations multiplied by the decoder row norms before the selection. */
  rescale_acts_by_decoder_norm?: boolean;
  /** The SAELens version that wrote it, if recorded. */
  sae_lens_version: string | null;
  /** The whole cfg.json as read. */
  raw: Record<string, unknown>;
}

/** Options of {@link readSaeLens}. */
export interface ReadSaeLensOptions {
  /**
   * For `normalize_activations: "expected_average_only_in"`: the constant f the SAE's inputs were multiplied
   * by in training (SAELens's `norm_scaling_factor`); it is folded into the weights so the SAE takes raw inputs.
   */
  normScalingFactor?: number;
  /** Largest weights file read, in bytes (default: io/files' 2 GiB). */
  maxBytes?: number;
}

/** A loaded SAELens SAE: the workbook model, its config, and what was folded into the weights. */
export interface SaeLensModel {
  sae: SparseAutoencoder;
  config: SaeLensConfig;
  /** One line per transformation applied while loading (empty when the weights were used as stored). */
  folded: string[];
}

const KNOWN_NORMS = ['none', 'expected_average_only_in', 'constant_norm_rescale', 'layer_norm'] as const;

function majorVersion(v: string | null): number {
  const m = v ? /^(\d+)/.exec(v) : null;
  return m ? Number(m[1]) : 0;
}

/**
 * Parse and default an SAELens `cfg.json` object as SAELens 6 does (`handle_config_defaulting`: configs of
 * versions before 6.0 have `activation_fn_str`/`activation_fn`, `activation_fn_kwargs.k` for TopK, and a boolean
 * `normalize_activations`). `source` names the file in messages.
 */
export function parseSaeLensConfig(raw: unknown, source: string): SaeLensConfig {
  const fail = (why: string): never => { throw new DataFileError(`${source}: ${why}`); };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return fail('cfg.json is not a JSON object');
  const c = raw as Record<string, unknown>;
  const meta = c.metadata && typeof c.metadata === 'object' ? c.metadata as Record<string, unknown> : {};
  const version = typeof c.sae_lens_version === 'string' ? c.sae_lens_version : typeof meta.sae_lens_version === 'string' ? meta.sae_lens_version : null;
  let arch = typeof c.architecture === 'string' ? c.architecture : 'standard';
  let k = c.k;
  let norm = c.normalize_activations;
  if (majorVersion(version) < 6) {
    const fn = c.activation_fn ?? c.activation_fn_str ?? 'relu';
    const kw = c.activation_fn_kwargs && typeof c.activation_fn_kwargs === 'object' ? c.activation_fn_kwargs as Record<string, unknown> : {};
    if (fn === 'topk' && kw.k !== undefined && kw.k !== null) { arch = 'topk'; k = kw.k; }
    else if (arch === 'standard' && fn !== 'relu') fail(`activation function '${String(fn)}' is not supported (standard SAEs: relu; topk with activation_fn_kwargs.k)`);
    if (typeof norm === 'boolean') norm = norm ? 'expected_average_only_in' : 'none';
    if (norm === null) norm = 'none';
  }
  norm = norm ?? 'none';
  if (!(SAELENS_ARCHITECTURES as readonly string[]).includes(arch)) {
    fail(`architecture '${arch}' is not supported (supported: ${SAELENS_ARCHITECTURES.join(', ')}); ` +
      'gated SAEs, transcoders and matryoshka SAEs have other forward passes');
  }
  if (!(KNOWN_NORMS as readonly string[]).includes(norm as string)) fail(`normalize_activations '${String(norm)}' is unknown (SAELens knows ${KNOWN_NORMS.join(', ')})`);
  const dim = (name: string): number => {
    const v = c[name];
    if (!Number.isSafeInteger(v) || (v as number) < 1) fail(`'${name}' must be a positive integer, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const d_in = dim('d_in'), d_sae = dim('d_sae');
  const cfg: SaeLensConfig = {
    architecture: arch as SaeLensArchitecture, d_in, d_sae, dtype: typeof c.dtype === 'string' ? c.dtype : 'float32',
    apply_b_dec_to_input: c.apply_b_dec_to_input === undefined ? true : Boolean(c.apply_b_dec_to_input),
    normalize_activations: norm as SaeLensConfig['normalize_activations'], sae_lens_version: version, raw: c,
  };
  if (arch === 'topk' || arch === 'batchtopk') {
    if (typeof k !== 'number' || !(k > 0) || k > d_sae || (arch === 'topk' && !Number.isInteger(k))) {
      fail(`architecture '${arch}' needs k, ${arch === 'topk' ? 'an integer' : 'a number'} in 1…d_sae (${d_sae}), got ${JSON.stringify(k)}`);
    }
    cfg.k = k as number;
    // SAELens's inference TopK defaults to false; its BatchTopK training config to true
    cfg.rescale_acts_by_decoder_norm = c.rescale_acts_by_decoder_norm === undefined ? arch === 'batchtopk' : Boolean(c.rescale_acts_by_decoder_norm);
  }
  return cfg;
}

/** The float32 `steps` ulps above (steps > 0) or below x (x finite). */
function f32Step(x: number, steps: number): number {
  const f = new Float32Array([x]), i = new Int32Array(f.buffer);
  if (f[0] === 0) { if (steps === 0) return 0; f[0] = steps > 0 ? 1.401298464324817e-45 : -1.401298464324817e-45; return f32Step(f[0], steps - Math.sign(steps)); }
  i[0] += (f[0] > 0 ? 1 : -1) * steps;
  return f[0];
}

/** log θ as float32 such that float32(exp(·)) is θ when some nearby float32 gives it (else the nearest); −∞ for θ ≤ 0. */
function logThreshold(theta: number): number {
  if (!(theta > 0)) return -Infinity;
  const t = Math.fround(theta), c0 = Math.fround(Math.log(t));
  let best = c0, err = Infinity;
  for (let s = -3; s <= 3; s++) {
    const c = f32Step(c0, s), e = Math.abs(Math.fround(Math.exp(c)) - t);
    if (e < err) { best = c; err = e; }
    if (e === 0) break;
  }
  return best;
}

/**
 * Read an SAELens directory (cfg.json + sae_weights.safetensors) as a workbook SAE, folding what needs folding
 * (see the module comment). Errors name the file and what is wrong.
 */
export function readSaeLens(dir: string, opts: ReadSaeLensOptions = {}): SaeLensModel {
  const cfgFile = path.join(dir, SAELENS_CFG_FILE), wFile = path.join(dir, SAELENS_WEIGHTS_FILE);
  if (!fs.existsSync(cfgFile)) {
    const sparsify = fs.existsSync(path.join(dir, 'sae.safetensors'));
    throw new DataFileError(`${dir}: no ${SAELENS_CFG_FILE} here${sparsify ? ' (sae.safetensors without cfg.json looks like an EleutherAI sparsify SAE, which is not supported; convert it with SAELens first)' : ''}; pass a directory SAELens saved with save_model or save_inference_model`);
  }
  let rawCfg: unknown;
  try {
    rawCfg = JSON.parse(readRegularText(cfgFile, { maxBytes: 16 << 20 }));
  } catch (e) {
    if (e instanceof SyntaxError) throw new DataFileError(`${cfgFile}: not valid JSON (${e.message})`);
    throw e;
  }
  const cfg = parseSaeLensConfig(rawCfg, cfgFile);
  const { d_in: M, d_sae: N } = cfg;
  const st = readSafetensors(wFile, { maxBytes: opts.maxBytes });
  const t = st.tensors;
  const need = (name: string, shape: number[]): SafeTensor => {
    const x = t[name];
    if (!x) throw new DataFileError(`${wFile}: no tensor '${name}' (architecture '${cfg.architecture}' needs it; the file has ${Object.keys(t).join(', ') || 'none'})`);
    const count = shape.reduce((a, b) => a * b, 1), have = x.shape.reduce((a, b) => a * b, 1);
    // a vector may also be stored as (1, n), a scalar as (1,)
    const ok = x.shape.length === shape.length ? x.shape.every((d, i) => d === shape[i]) : shape.length === 1 && have === count && x.shape.filter((d) => d !== 1).length <= 1;
    if (!ok) throw new DataFileError(`${wFile}: tensor '${name}' has shape (${x.shape.join(', ')}) but cfg.json's d_in = ${M}, d_sae = ${N} need (${shape.join(', ')})`);
    return x;
  };
  const f32 = (name: string, shape: number[]): Float32Array => {
    const a = tensorToFloat32(need(name, shape), `${wFile}: ${name}`);
    const bad = a.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new DataFileError(`${wFile}: ${name} holds ${a[bad]} at index ${bad}; the SAE is damaged`);
    return a;
  };
  // E (N×M) = W_encᵀ; the matrices stay float32 (an SAE with 10⁸ weights fits), the small vectors float64
  const Wenc = f32('W_enc', [M, N]), D = f32('W_dec', [N, M]);
  const bEnc = Float64Array.from(f32('b_enc', [N])), bDec = Float64Array.from(f32('b_dec', [M]));
  const E = new Float32Array(N * M);
  for (let j = 0; j < M; j++) for (let i = 0; i < N; i++) E[i * M + j] = Wenc[j * N + i];
  const folded: string[] = [];
  if (cfg.normalize_activations === 'constant_norm_rescale' || cfg.normalize_activations === 'layer_norm') {
    throw new DataFileError(`${cfgFile}: normalize_activations '${cfg.normalize_activations}' normalises every input sample at run time, which the workbook's SAEs do not do; ` +
      'normalise the activations yourself in NumPy and set normalize_activations to "none" in a copy of cfg.json');
  }
  if (cfg.normalize_activations === 'expected_average_only_in') {
    const f = opts.normScalingFactor;
    if (f === undefined) {
      throw new DataFileError(`${cfgFile}: normalize_activations 'expected_average_only_in' means the SAE was trained on activations multiplied by a constant ` +
        'factor f (SAELens lists it as norm_scaling_factor); pass it (normScalingFactor, CLI --norm-scaling-factor) to fold it into the weights, or 1 if your activations are already scaled');
    }
    if (!(f > 0) || !Number.isFinite(f)) throw new ValueError(`normScalingFactor must be a positive number, got ${f}`);
    for (let q = 0; q < E.length; q++) { E[q] *= f; D[q] /= f; }
    for (let j = 0; j < M; j++) bDec[j] /= f;
    folded.push(`input scaling factor ${f} folded into W_enc, W_dec and b_dec`);
  }
  if (!cfg.apply_b_dec_to_input) {
    // pre = x·W_enc + b_enc = (x − b_dec)·W_enc + (b_enc + b_dec·W_enc)
    for (let i = 0; i < N; i++) { let s = 0; for (let j = 0; j < M; j++) s += bDec[j] * E[i * M + j]; bEnc[i] += s; }
    folded.push('apply_b_dec_to_input = false: b_dec·W_enc added to b_enc');
  }
  const scale = t.finetuning_scaling_factor ?? t.scaling_factor;
  if (scale) {
    const s = f32(t.finetuning_scaling_factor ? 'finetuning_scaling_factor' : 'scaling_factor', [N]);
    if (s.some((v) => v !== 1)) {
      for (let i = 0; i < N; i++) for (let j = 0; j < M; j++) D[i * M + j] *= s[i];
      folded.push('finetuning scaling factor folded into W_dec');
    }
  }
  if (cfg.rescale_acts_by_decoder_norm) {
    for (let i = 0; i < N; i++) {
      let n2 = 0;
      for (let j = 0; j < M; j++) n2 += D[i * M + j] ** 2;
      const n = Math.sqrt(n2);
      if (!(n > 0)) throw new DataFileError(`${wFile}: W_dec row ${i} is zero, so rescale_acts_by_decoder_norm divides by zero`);
      for (let j = 0; j < M; j++) { E[i * M + j] *= n; D[i * M + j] /= n; }
      bEnc[i] *= n;
    }
    folded.push('rescale_acts_by_decoder_norm: decoder norms folded into W_enc and b_enc (W_dec rows now unit)');
  }
  const base = { features: N, bias: true, seed: 0 };
  const raw = cfg.raw;
  let sae: SparseAutoencoder;
  switch (cfg.architecture) {
    case 'standard':
      sae = new ReluSae({ ...base, lambda: typeof raw.l1_coefficient === 'number' ? raw.l1_coefficient : 0 });
      break;
    case 'topk':
      sae = new TopKSae({ ...base, k: cfg.k });
      break;
    case 'batchtopk': {
      const b = new BatchTopKSae({ ...base, k: Math.min(N, Math.max(1, Math.round(cfg.k!))) });
      const th = t.topk_threshold ?? t.threshold;
      if (!th) throw new DataFileError(`${wFile}: a BatchTopK checkpoint needs 'topk_threshold' (its inference threshold); the file has ${Object.keys(t).join(', ')}`);
      const v = tensorToFloat32(th, `${wFile}: topk_threshold`);
      if (v.some((x) => x !== v[0])) throw new DataFileError(`${wFile}: a BatchTopK threshold must be one number; this file has ${v.length} different ones (load it as architecture 'jumprelu')`);
      b.threshold = Float32Array.of(v[0]);
      sae = b;
      break;
    }
    default: {
      const j = new JumpReluSae({ ...base, lambda: typeof raw.l0_coefficient === 'number' ? raw.l0_coefficient : 0 },
        { bandwidth: typeof raw.jumprelu_bandwidth === 'number' ? raw.jumprelu_bandwidth : undefined });
      // an inference SAE stores `threshold`; a JumpReLU training checkpoint `log_threshold`
      const th = t.threshold || !t.log_threshold ? tensorToFloat32(need('threshold', [N]), `${wFile}: threshold`)
        : Float32Array.from(tensorToFloat32(need('log_threshold', [N]), `${wFile}: log_threshold`), Math.exp);
      if (th.some((v) => Number.isNaN(v))) throw new DataFileError(`${wFile}: a JumpReLU threshold is NaN`);
      j.logTheta = Float32Array.from(th, logThreshold);
      sae = j;
    }
  }
  sae.dim = M;
  sae.E = E; sae.bEnc = Float32Array.from(bEnc);
  sae.D = D; sae.bDec = Float32Array.from(bDec);
  return { sae, config: cfg, folded };
}

/** {@link readSaeLens}'s SAE alone. */
export function loadSaeLens(dir: string, opts: ReadSaeLensOptions = {}): SparseAutoencoder {
  return readSaeLens(dir, opts).sae;
}

/** Options of {@link saveSaeLens}. */
export interface SaveSaeLensOptions {
  /** Extra entries of cfg.json's `metadata` (SAELens keeps any: model_name, hook_name, …). */
  metadata?: Record<string, unknown>;
}

/**
 * Write a trained workbook SAE as an SAELens directory (cfg.json + sae_weights.safetensors, float32; created if
 * missing; both files replaced together), loadable by SAELens 6's `SAE.load_from_disk(dir)`.
 * @returns the architecture written ('standard' | 'topk' | 'jumprelu').
 */
export function saveSaeLens(sae: SparseAutoencoder, dir: string, opts: SaveSaeLensOptions = {}): SaeLensArchitecture {
  if (!(sae instanceof SparseAutoencoder)) throw new ValueError('saveSaeLens: pass a workbook SAE (ReluSae, TopKSae, BatchTopKSae, JumpReluSae)');
  if (sae.dim === 0) throw new ValueError(`this SAE-${sae.kind} has not been trained or loaded; call fit(X) first`);
  const N = sae.features, M = sae.dim;
  const Wenc = new Float32Array(M * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < M; j++) Wenc[j * N + i] = sae.E[i * M + j];
  const bias = sae.config.bias;
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {
    W_enc: { shape: [M, N], data: Wenc },
    b_enc: { shape: [N], data: bias ? Float32Array.from(sae.bEnc) : new Float32Array(N) },
    W_dec: { shape: [N, M], data: Float32Array.from(sae.D) },
    b_dec: { shape: [M], data: bias ? Float32Array.from(sae.bDec) : new Float32Array(M) },
  };
  let architecture: SaeLensArchitecture;
  const extra: Record<string, unknown> = {};
  if (sae instanceof ReluSae) architecture = 'standard';
  else if (sae instanceof TopKSae) {
    architecture = 'topk';
    extra.k = sae.config.k;
    extra.rescale_acts_by_decoder_norm = false;
  } else if (sae instanceof JumpReluSae) {
    architecture = 'jumprelu';
    tensors.threshold = { shape: [N], data: Float32Array.from(sae.logTheta, Math.exp) };
  } else if (sae instanceof BatchTopKSae) {
    architecture = 'jumprelu';
    const theta = sae.threshold[0];
    // our rule keeps pre ≥ θ (and pre > 0); SAELens's keeps pre > threshold: the float32 just below θ
    tensors.threshold = { shape: [N], data: new Float32Array(N).fill(theta > 0 ? f32Step(theta, -1) : 0) };
  } else {
    throw new ValueError(`saveSaeLens: SAE kind '${sae.kind}' has no SAELens architecture`);
  }
  const cfg = {
    architecture, d_in: M, d_sae: N, dtype: 'float32', device: 'cpu', apply_b_dec_to_input: true,
    normalize_activations: 'none', reshape_activations: 'none', ...extra,
    metadata: {
      sae_lens_version: SAELENS_FORMAT_VERSION, exported_by: 'superposition-workbook', trained_as: `sae-${sae.kind}`,
      ...(sae instanceof BatchTopKSae ? { batchtopk_k: sae.config.k } : {}),
      ...(sae instanceof MatryoshkaSae ? { matryoshka_widths: prefixEnds(sae.groupSizes) } : {}), ...opts.metadata,
    },
  };
  fs.mkdirSync(dir, { recursive: true });
  writeFilesAtomic([
    { file: path.join(dir, SAELENS_WEIGHTS_FILE), data: encodeSafetensors(tensors, { format: 'pt' }) },
    { file: path.join(dir, SAELENS_CFG_FILE), data: `${JSON.stringify(cfg, null, 1)}\n` },
  ]);
  return architecture;
}

/** Whether `dir` looks like an SAELens directory (has cfg.json). */
export function isSaeLensDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, SAELENS_CFG_FILE));
}

/**
 * Load an SAE from a directory in either format: SAELens's (cfg.json + sae_weights.safetensors, see
 * {@link readSaeLens}) or the workbook's own (model.json + .npy, written by `save(dir)` / `learn --save-model`).
 */
export function loadSae(dir: string, opts: ReadSaeLensOptions = {}): SparseAutoencoder {
  let st: fs.Stats;
  try { st = fs.statSync(dir); } catch { throw new DataFileError(`${dir}: no such directory; pass the directory an SAE was saved to`); }
  if (!st.isDirectory()) throw new DataFileError(`${dir} is not a directory; pass the directory holding cfg.json + sae_weights.safetensors (SAELens) or model.json (workbook)`);
  if (isSaeLensDir(dir)) return loadSaeLens(dir, opts);
  if (fs.existsSync(path.join(dir, 'model.json'))) {
    const m = loadDictionaryModel(dir);
    if (!(m instanceof SparseAutoencoder)) throw new ValueError(`${dir}: the model saved there is not an SAE (it has no encoder to analyse); pass an SAE directory`);
    return m;
  }
  throw new DataFileError(`${dir}: neither ${SAELENS_CFG_FILE} (an SAELens SAE) nor model.json (a workbook model) is here`);
}

/** Formats of a saved model directory: the workbook's own (model.json + .npy) or SAELens's. */
export const MODEL_DIR_FORMATS = ['workbook', 'saelens'] as const;
/** One of {@link MODEL_DIR_FORMATS}. */
export type ModelDirFormat = typeof MODEL_DIR_FORMATS[number];

/**
 * Save a learned model to `dir` in `format`: 'workbook' calls its own `save(dir)`; 'saelens' writes an SAELens
 * directory ({@link saveSaeLens}; SAEs only — classical dictionaries have no encoder SAELens could run).
 */
export function saveModelDir(model: { save(dir: string): void }, dir: string, format: ModelDirFormat = 'workbook'): void {
  if (format === 'workbook') { model.save(dir); return; }
  if (format !== 'saelens') throw new ValueError(`unknown model format '${String(format)}'; use ${MODEL_DIR_FORMATS.join(' or ')}`);
  if (!(model instanceof SparseAutoencoder)) throw new ValueError('the SAELens format holds sparse autoencoders only; save this model with format workbook');
  saveSaeLens(model, dir);
}
