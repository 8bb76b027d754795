import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trainer, TrainingDivergedError, scheduleFactor, trainLoop, trainLoopAsync, warmupDecayFactor } from '../../src/training';
import { TrainingDivergedError as FromDictionary } from '../../src/dictionary';

/** A trainer returning the losses of a list (then the last one), recording the learning rates it got. */
function scripted(losses: (t: number) => number): Trainer & { lrs: number[]; steps: number[] } {
  const lrs: number[] = [], steps: number[] = [];
  return { lrs, steps, update(t, lr) { steps.push(t); lrs.push(lr); return losses(t); } };
}

test('schedules: constant, cosine from 1 to 0.01, warm-up then linear decay', () => {
  assert.equal(scheduleFactor('constant', 7, 10), 1);
  assert.equal(scheduleFactor('cosine', 1, 10), 1);
  // half way: 0.01 + 0.99·½(1 + cos(π/2))
  assert.ok(Math.abs(scheduleFactor('cosine', 51, 100) - (0.01 + 0.99 * 0.5)) < 1e-12);
  assert.ok(Math.abs(scheduleFactor('cosine', 101, 100) - 0.01) < 1e-12);
  // 100 steps, warm-up 10, decay 20: steps 1..10 ramp 0.1..1, flat, then (100 − t0)/20 from t0 = 80
  const f = (t: number) => scheduleFactor({ warmup: 0.1, decay: 0.2 }, t, 100);
  assert.deepEqual([1, 5, 10, 11, 80, 81, 90, 100].map(f), [0.1, 0.5, 1, 1, 1, 1, 0.55, 0.05]);
  assert.equal(warmupDecayFactor(0, 100), 0.2); // default warm-up 5 steps
});

test('the loop passes the scheduled lr and 1-based steps to the trainer', () => {
  const tr = scripted(() => 1);
  const r = trainLoop(tr, { steps: 4, lr: 2, schedule: 'cosine' });
  assert.deepEqual(tr.steps, [1, 2, 3, 4]);
  assert.deepEqual(tr.lrs, [1, 2, 3, 4].map((t) => 2 * scheduleFactor('cosine', t, 4)));
  assert.equal(r.steps, 4);
  assert.equal(r.stoppedEarly, false);
});

test('divergence: NaN at step 7 throws TrainingDivergedError naming the step, the loss and the fix', () => {
  const tr = scripted((t) => (t === 7 ? NaN : 1 / t));
  assert.throws(() => trainLoop(tr, { steps: 20, lr: 0.1, name: 'toy fit' }), (e: unknown) => {
    assert.ok(e instanceof TrainingDivergedError);
    assert.ok(e instanceof FromDictionary, 'dictionary re-exports the same class');
    assert.equal(e.step, 7);
    assert.ok(Number.isNaN(e.loss));
    assert.match(e.message, /toy fit diverged at step 7/);
    assert.match(e.message, /lower the learning rate \(now 0\.1\)/);
    assert.match(e.message, /scale the data/);
    return true;
  });
  assert.equal(tr.steps.length, 7, 'no step after the diverging one');
});

test('divergence: an exploding loss (above 1e4 × the first) after step 10', () => {
  const tr = scripted((t) => (t < 12 ? 2 : 3e4));
  assert.throws(() => trainLoop(tr, { steps: 20, lr: 1 }), (e: unknown) => e instanceof TrainingDivergedError && e.step === 12);
  // the same losses pass with the explosion test off
  assert.equal(trainLoop(scripted((t) => (t < 12 ? 2 : 3e4)), { steps: 20, lr: 1, divergeFactor: Infinity }).steps, 20);
});

test('history: rows every logEvery steps with the mean batch loss since the previous row, eval metrics merged', () => {
  const tr = scripted((t) => t);
  const evals: [number, number][] = [];
  const r = trainLoop(tr, {
    steps: 10, lr: 1, logEvery: 2, evalEvery: 5,
    onEval: (step, loss) => { evals.push([step, loss]); return { acc: step / 10 }; },
  });
  assert.deepEqual(r.history.map((h) => h.step), [2, 4, 5, 6, 8, 10]);
  assert.deepEqual(r.history.map((h) => h.loss), [1.5, 3.5, 5, 6, 7.5, 9.5]);
  assert.deepEqual(evals, [[5, 5], [10, 9.5]]);
  assert.equal(r.history[2].acc, 0.5);
  assert.equal(r.history[0].acc, undefined);
  assert.equal(r.lastLoss, 10);
});

test('early stop: a loss that plateaus stops after `patience` rows without improvement', () => {
  // improves until step 6, then flat
  const tr = scripted((t) => (t <= 6 ? 10 - t : 4));
  const r = trainLoop(tr, { steps: 100, lr: 1, logEvery: 1, earlyStop: { patience: 3 } });
  assert.equal(r.stoppedEarly, true);
  assert.equal(r.steps, 9);
  assert.equal(tr.steps.length, 9);
  // on an eval metric, mode max: accuracy stuck at 0.5 from step 2 on (evaluated every 2 steps)
  const r2 = trainLoop(scripted(() => 1), {
    steps: 50, lr: 1, evalEvery: 2, onEval: (s) => ({ acc: Math.min(s, 2) / 4 }),
    earlyStop: { patience: 2, metric: 'acc', mode: 'max' },
  });
  assert.equal(r2.steps, 6);
  // without early stopping, all steps run
  assert.equal(trainLoop(scripted((t) => (t <= 6 ? 10 - t : 4)), { steps: 30, lr: 1 }).steps, 30);
});

test('bad options are refused with the fix; async hooks need trainLoopAsync', async () => {
  assert.throws(() => trainLoop(scripted(() => 1), { steps: 5, lr: 1, schedule: 'linear' as never }), /'constant', 'cosine' or \{ warmup, decay \}/);
  assert.throws(() => trainLoop(scripted(() => 1), { steps: 5, lr: 1, schedule: { warmup: 0.9, decay: 0.2 } }), /must not exceed 1/);
  assert.throws(() => trainLoop(scripted(() => 1), { steps: 1.5, lr: 1 }), /steps must be an integer/);
  assert.throws(() => trainLoop(scripted(() => 1), { steps: 2, lr: 1, onEval: async () => ({ a: 1 }) } as never), /use trainLoopAsync/);
  const r = await trainLoopAsync(scripted(() => 1), { steps: 4, lr: 1, evalEvery: 2, onEval: async (s) => ({ s }) });
  assert.deepEqual(r.history.map((h) => h.s), [2, 4]);
});
