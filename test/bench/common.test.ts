import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PeerRun, alternate, median, versusRounds, versusRow } from '../../bench/common';

test('bench median: the middle value, the mean of the middle two for an even count, NaN for none; the input is not reordered', () => {
  const xs = [3, 1, 2];
  assert.equal(median(xs), 2);
  assert.deepEqual(xs, [3, 1, 2]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
  assert.ok(Number.isNaN(median([])));
});

test('bench alternate: ours, then the peers, round after round', async () => {
  const order: string[] = [];
  const r = await alternate(3, async (i) => { order.push(`ours ${i}`); return 10 * i; }, (i) => {
    order.push(`peers ${i}`);
    return [{ stack: 'venv', result: { v: i } }];
  });
  assert.deepEqual(order, ['ours 0', 'peers 0', 'ours 1', 'peers 1', 'ours 2', 'peers 2']);
  assert.deepEqual(r.ours, [0, 10, 20]);
  assert.deepEqual(r.peers.map((p) => p[0].result!.v), [0, 1, 2]);
});

test('bench versusRounds: medians over the rounds, the best stack by its median, each round\'s ratio against that round\'s best, the target checked on the medians', () => {
  const run = (stack: string, impl: string, sps: number): PeerRun => ({ stack, result: { impl, samples_per_second: sps } });
  const peers: PeerRun[][] = [
    [run('debian', 'torch 1.13', 10), run('venv', 'torch 2.13', 20)],
    [run('debian', 'torch 1.13', 30), run('venv', 'torch 2.13', 25), { stack: 'other', result: null, reason: 'not installed' }],
    [run('debian', 'torch 1.13', 12), run('venv', 'torch 2.13', 22)],
  ];
  const row = versusRounds({ name: 'x', metric: 'samples/s', ours: [40, 50, 44], peers, field: 'samples_per_second', target: 2 });
  assert.equal(row.ours, 44); // median of 40, 50, 44
  assert.equal(row.debian, 12); // median of 10, 30, 12
  assert.equal(row.venv, 22); // median of 20, 25, 22
  assert.equal(row.best_peer, 'venv torch 2.13');
  assert.equal(row.ratio_vs_best, 2);
  assert.deepEqual(row.ratio_rounds, [40 / 20, 50 / 30, 44 / 22]);
  assert.deepEqual(row.ours_rounds, [40, 50, 44]);
  assert.equal(row.rounds, 3);
  assert.equal(row.target, '≥ 2×');
  assert.equal(row.met, true);
  const under = versusRounds({ name: 'x', metric: 'samples/s', ours: [40, 43, 43.9], peers, field: 'samples_per_second', target: 2 });
  assert.equal(under.met, false);
});

test('bench versusRow for times: the fastest peer is the best, and the target is a ceiling', () => {
  const peers = [{ stack: 'debian', impl: 'sklearn 1.2', value: 4 }, { stack: 'venv', impl: 'sklearn 1.9', value: 2 }, { stack: 'venv', impl: 'broken', value: NaN }];
  const row = versusRow({ name: 'lasso', metric: 'seconds', sense: 'time', ours: 0.5, peers, target: 0.3 });
  assert.equal(row.best_peer, 'venv sklearn 1.9');
  assert.equal(row.ratio_vs_best, 0.25);
  assert.equal(row.target, '≤ 0.3×');
  assert.equal(row.met, true);
  assert.equal(versusRow({ name: 'lasso', metric: 'seconds', sense: 'time', ours: 0.7, peers, target: 0.3 }).met, false);
});
