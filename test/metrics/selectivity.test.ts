import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelPurity, classSelectivity } from '../../src/metrics/selectivity';
import { ValueError } from '../../src/core/errors';
import { close, allClose } from './helpers';
import { plantedUnits } from './interp_data';

test('labelPurity: hand-computed case and planted class units', () => {
  const p = labelPurity([[3], [2], [1], [0]], [0, 0, 1, 1], { k: 3 });
  close(p.perUnit[0], 2 / 3, 1e-15, 'purity');
  assert.equal(p.modalClass[0], 0);
  close(p.baseRate, 0.5, 0, 'base rate');
  const { acts, labels } = plantedUnits(31, 10, 20);
  const q = labelPurity(acts, labels, { k: 50 });
  for (let u = 0; u < 10; u++) { close(q.perUnit[u], 1, 0, `class unit ${u}`); assert.equal(q.modalClass[u], u); }
  for (let u = 10; u < 30; u++) assert.ok(q.perUnit[u] < 0.4, `noise unit ${u}: ${q.perUnit[u]}`);
});

test('classSelectivity: closed forms', () => {
  // Unit 0: class means 2 and 0 → 1. Unit 1: equal means → 0. Unit 2: means 3, 1, 1 (3 classes below).
  const s = classSelectivity([[2, 1], [2, 1], [0, 1], [0, 1]], [0, 0, 1, 1]);
  allClose(s.perUnit, [1, 0], 1e-15, 'SI');
  assert.equal(s.preferredClass[0], 0);
  const t = classSelectivity([[3], [1], [1], [0]], [5, 7, 9, 9]);
  // Means: class 5 → 3, class 7 → 1, class 9 → 0.5; rest = 0.75; SI = 2.25 / 3.75.
  close(t.perUnit[0], 2.25 / 3.75, 1e-15, 'three classes');
  assert.equal(t.preferredClass[0], 5);
  close(classSelectivity([[0], [0]], [0, 1]).perUnit[0], 0, 0, 'silent unit');
  assert.throws(() => classSelectivity([[-1], [1]], [0, 1]), ValueError);
  assert.throws(() => classSelectivity([[1], [1]], [0, 0]), ValueError);
  assert.throws(() => classSelectivity([[1], [1]], [0]), ValueError);
});
