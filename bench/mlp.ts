/**
 * MLP classifier, training throughput: notebook 02's reference encoder 5→50→250→250→50→5 (linear → batch norm →
 * leaky ReLU per hidden layer) with a bias-free linear head to C=100 classes, softmax cross-entropy, Adam 1e-3,
 * batch 1024 — the library's `trainClassifier` against the same network in PyTorch (bench/peers/mlp_torch.py)
 * under each peer stack, on the same arrays in the same run, the two sides taking turns for {@link ROUNDS} rounds
 * (medians compared). Target: samples/s ≥ 0.7× the best PyTorch.
 *
 * Data: 16 batches of 5-d standard-normal inputs labelled by their nearest of 100 random unit prototypes (largest
 * dot product), fed as consecutive batches on both sides. Our seconds are the whole `trainClassifier` call after
 * a warm-up run. Both report the trained model's cross-entropy on all the data (eval-mode batch norm).
 *   npm run bench -- --only mlp [--quick]      or      node --import tsx bench/mlp.ts [--quick]
 */
import path from 'node:path';
import fs from 'node:fs';
import { encodeMlp, trainClassifier, MlpTrainResult } from '../src/identifiability/mlp';
import { Matrix, matrix } from '../src/core/matrix';
import { Rng } from '../src/core/rng';
import { writeNpy } from '../src/io/npy';
import { BenchResult, PEER_THREADS, ROUNDS, alternate, peerRoundRows, roundsFor, runPeers, scratchDir, versusRounds } from './common';

const IN = 5, REP = 5, HIDDEN = [50, 250, 250, 50], CLASSES = 100, BATCH = 1024, BATCHES = 16;

/** Inputs (S×IN) and labels of the benchmark's classification problem. */
function problem(seed: number): { X: Matrix<Float32Array>; labels: Int32Array } {
  const rng = new Rng(seed);
  const S = BATCHES * BATCH;
  const X = matrix(S, IN, rng.fillNormal(new Float32Array(S * IN), 0, 1));
  const P = rng.fillNormal(new Float32Array(CLASSES * IN), 0, 1);
  for (let c = 0; c < CLASSES; c++) {
    let s = 0;
    for (let j = 0; j < IN; j++) s += P[c * IN + j] ** 2;
    for (let j = 0; j < IN; j++) P[c * IN + j] /= Math.sqrt(s);
  }
  const labels = new Int32Array(S);
  for (let i = 0; i < S; i++) {
    let best = -Infinity;
    for (let c = 0; c < CLASSES; c++) {
      let d = 0;
      for (let j = 0; j < IN; j++) d += X.data[i * IN + j] * P[c * IN + j];
      if (d > best) { best = d; labels[i] = c; }
    }
  }
  return { X, labels };
}

/** Mean softmax cross-entropy of the trained classifier on all of X (encoder in eval mode). */
async function dataLoss(r: MlpTrainResult, X: Matrix<Float32Array>, labels: Int32Array): Promise<number> {
  const Z = await encodeMlp(r.encoder, X);
  const H = r.head!;
  let total = 0;
  const logits = new Float64Array(CLASSES);
  for (let i = 0; i < X.rows; i++) {
    let mx = -Infinity;
    for (let c = 0; c < CLASSES; c++) {
      let s = 0;
      for (let j = 0; j < REP; j++) s += Z.data[i * REP + j] * H.data[j * CLASSES + c];
      logits[c] = s;
      mx = Math.max(mx, s);
    }
    let se = 0;
    for (let c = 0; c < CLASSES; c++) se += Math.exp(logits[c] - mx);
    total += mx + Math.log(se) - logits[labels[i]];
  }
  return total / X.rows;
}

/** MLP rows: ours, each peer stack's PyTorch, and the versus row. */
export async function bench(opts: { quick: boolean }): Promise<BenchResult[]> {
  const steps = opts.quick ? 30 : 200;
  const { X, labels } = problem(3);
  const S = X.rows;
  const run = (count: number) => {
    let pos = 0;
    return trainClassifier({
      inDim: IN, repDim: REP, hidden: HIDDEN, classes: CLASSES, steps: count, batch: BATCH, lr: 1e-3, seed: 1, progress: false,
      sample: (B) => {
        if (pos + B > S) pos = 0;
        const x = matrix(B, IN, X.data.subarray(pos * IN, (pos + B) * IN));
        const l = labels.subarray(pos, pos + B);
        pos += B;
        return { x, labels: l };
      },
    });
  };
  await run(5); // warm-up: JIT, WebAssembly compilation, worker start
  const name = `MLP ${[IN, ...HIDDEN, REP].join('→')}→${CLASSES} B=${BATCH}`;
  const out: BenchResult[] = [];
  const dir = scratchDir('bench-mlp-');
  writeNpy(path.join(dir, 'X.npy'), X);
  writeNpy(path.join(dir, 'y.npy'), matrix(S, 1, Float32Array.from(labels)));
  const measured = await alternate(roundsFor(opts.quick), async (round) => {
    const t0 = performance.now();
    const r = await run(steps);
    const seconds = (performance.now() - t0) / 1000;
    out.push({ name, impl: 'workbook trainClassifier', round: round + 1, seconds, steps, samples_per_second: (steps * BATCH) / seconds,
      final_loss: r.history[r.history.length - 1]?.loss, data_loss: await dataLoss(r, X, labels) });
    return (steps * BATCH) / seconds;
  }, () => runPeers('mlp_torch.py', [dir, '--hidden', HIDDEN.join(','), '--rep', String(REP), '--classes', String(CLASSES),
    '--batch', String(BATCH), '--steps', String(steps), '--warmup', '5', '--threads', String(PEER_THREADS)]));
  fs.rmSync(dir, { recursive: true, force: true });
  out.push(...peerRoundRows(name, measured.peers, ['steps', 'samples_per_second', 'final_loss', 'data_loss']));
  out.push(versusRounds({ name: `MLP classifier ${[IN, ...HIDDEN, REP].join('→')}→${CLASSES}, batch ${BATCH}`, metric: 'samples/s',
    ours: measured.ours, peers: measured.peers, field: 'samples_per_second', target: 0.7 }));
  return out;
}

if (require.main === module) {
  bench({ quick: process.argv.includes('--quick') }).then((r) => console.table(r), (e) => { console.error(e); process.exit(1); });
}
