/** Shared helpers of the metrics tests: fixture loading, random matrices, closeness checks. */
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { Matrix, fromRows, matrix } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const fixtures: any = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/metrics/fixtures.json'), 'utf8'));

export const f64 = (rows: number[][]): Matrix => fromRows(rows, 'float64');

/** B×N float64 matrix of N(0,1) entries. */
export function randn(rng: Rng, rows: number, cols: number): Matrix<Float64Array> {
  return matrix(rows, cols, rng.fillNormal(new Float64Array(rows * cols)));
}

export function close(actual: number, expected: number, tol: number, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} ± ${tol}`);
}

export function allClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = ''): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) close(actual[i], expected[i], tol, `${what}[${i}]`);
}

export const flat = (rows: number[][]): number[] => rows.flat();
