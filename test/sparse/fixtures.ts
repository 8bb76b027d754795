/** Loader of the scikit-learn fixtures made by test/fixtures/sparse/make_fixtures.py. */
import fs from 'node:fs';
import path from 'node:path';
import { fromRows, Matrix } from '../../src/core/matrix';

export interface SparseFixture {
  name: string; N: number; M: number; B: number; K: number; lam: number; nonneg: boolean; coherent: boolean;
  D: Matrix; X: Matrix; Ztrue: Matrix; lassoCodes: Matrix; lassoObjective: number;
  ompSupport?: number[][]; ompCodes?: Matrix;
}

export function loadSparseFixtures(): SparseFixture[] {
  const raw = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/sparse/problems.json'), 'utf8')) as {
    problems: Array<Record<string, unknown>>;
  };
  return raw.problems.map((p) => ({
    name: p.name as string, N: p.N as number, M: p.M as number, B: p.B as number, K: p.K as number,
    lam: p.lam as number, nonneg: p.nonneg as boolean, coherent: p.coherent as boolean,
    D: fromRows(p.D as number[][], 'float64'), X: fromRows(p.X as number[][], 'float64'),
    Ztrue: fromRows(p.Z_true as number[][], 'float64'),
    lassoCodes: fromRows(p.lasso_codes as number[][], 'float64'), lassoObjective: p.lasso_objective as number,
    ompSupport: p.omp_support as number[][] | undefined,
    ompCodes: p.omp_codes ? fromRows(p.omp_codes as number[][], 'float64') : undefined,
  }));
}

/** Sorted indices of the non-zero entries of row b. */
export function supportOf(Z: Matrix, b: number, eps = 0): number[] {
  const out: number[] = [];
  for (let j = 0; j < Z.cols; j++) if (Math.abs(Z.data[b * Z.cols + j]) > eps) out.push(j);
  return out;
}
