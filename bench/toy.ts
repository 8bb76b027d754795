/**
 * Toy models of superposition, training throughput: n=200 features, m=20 hidden dimensions, 32 instances trained
 * together (feature probabilities 20^(−s/31), s = 0…31, as in Elhage et al.'s notebook), importance 0.99^i, batch
 * 1024, AdamW — the library's `trainToyModels` against the same model in PyTorch (bench/peers/toy_torch.py) under
 * each peer stack, in the same run, the two sides taking turns for {@link ROUNDS} rounds (medians compared). Target:
 * steps/s ≥ 1× the best PyTorch.
 *
 * Both sides draw fresh data every step inside the timing and warm up first (ours: a short run, PyTorch: a
 * throwaway model). Our seconds are the whole `trainToyModels` call (set-up and the final loss on `EVAL` fresh
 * samples per instance included: slightly against us). Both report the mean over instances of the trained
 * model's importance-weighted loss on fresh samples, to show they train alike.
 *   npm run bench -- --only toy [--quick]      or      node --import tsx bench/toy.ts [--quick]
 */
import { trainToyModels } from '../src/toy/model';
import { BenchResult, PEER_THREADS, ROUNDS, alternate, peerRoundRows, roundsFor, runPeers, versusRounds } from './common';

const N = 200, M = 20, INSTANCES = 32, BATCH = 1024, IMPORTANCE_BASE = 0.99, EVAL = 1024;

/** Toy-model rows: ours, each peer stack's PyTorch, and the versus row. */
export async function bench(opts: { quick: boolean }): Promise<BenchResult[]> {
  const steps = opts.quick ? 20 : 200;
  const probs = Array.from({ length: INSTANCES }, (_, s) => 20 ** (-s / (INSTANCES - 1)));
  const importance = Array.from({ length: N }, (_, i) => IMPORTANCE_BASE ** i);
  const run = (count: number) => trainToyModels({ n: N, m: M, featureProbability: probs, importance, batch: BATCH, steps: count,
    evalSamples: EVAL, seed: 1, progress: false });
  await run(5); // warm-up: JIT, WebAssembly compilation, worker start
  const name = `toy n=${N} m=${M} ×${INSTANCES} B=${BATCH}`;
  const out: BenchResult[] = [];
  const measured = await alternate(roundsFor(opts.quick), async (round) => {
    const t0 = performance.now();
    const r = await run(steps);
    const seconds = (performance.now() - t0) / 1000;
    const finalLoss = r.instances.reduce((s, inst) => s + inst.loss, 0) / r.instances.length;
    out.push({ name, impl: 'workbook trainToyModels', round: round + 1, seconds, steps, steps_per_second: steps / seconds, final_loss: finalLoss });
    return steps / seconds;
  }, () => runPeers('toy_torch.py', ['--n', String(N), '--m', String(M), '--probs', probs.join(','),
    '--importance-base', String(IMPORTANCE_BASE), '--batch', String(BATCH), '--steps', String(steps), '--warmup', '5',
    '--eval', String(EVAL), '--threads', String(PEER_THREADS)]));
  out.push(...peerRoundRows(name, measured.peers, ['steps', 'steps_per_second', 'final_loss']));
  out.push(versusRounds({ name: `toy model n=${N}, m=${M}, ${INSTANCES} instances, batch ${BATCH}`, metric: 'steps/s',
    ours: measured.ours, peers: measured.peers, field: 'steps_per_second', target: 1 }));
  return out;
}

if (require.main === module) {
  bench({ quick: process.argv.includes('--quick') }).then((r) => console.table(r), (e) => { console.error(e); process.exit(1); });
}
