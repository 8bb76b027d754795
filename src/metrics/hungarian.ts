/**
 * Exact linear (sum) assignment: the "Hungarian" problem, solved by the shortest-augmenting-path
 * algorithm of Jonker–Volgenant in the rectangular form of Crouse (2016) — the algorithm behind
 * scipy.optimize.linear_sum_assignment, with the same results up to ties.
 */
import { Matrix, MatrixLike } from '../core/matrix';

import { ValueError } from '../core/errors';
import { checkMatrix64 } from './input';

/** Result of {@link linearSumAssignment}: pairs (rowInd[k], colInd[k]), sorted by row. */
export interface Assignment {
  /** Row indices, ascending; length min(rows, cols). */
  rowInd: Int32Array;
  /** Column assigned to rowInd[k]; all distinct. */
  colInd: Int32Array;
  /** Sum of cost[rowInd[k], colInd[k]] (the optimal total, in the cost's units). */
  total: number;
}

/**
 * Optimal one-to-one assignment of rows to columns of a rectangular `cost` matrix (R×C): every row is
 * assigned a distinct column if R ≤ C, otherwise every column a distinct row; the total cost is
 * minimal (or maximal with `maximize: true`). Exact; O(min(R,C)²·max(R,C)) time, O(R·C) memory
 * (float64 copy). Entries must be finite.
 */
export function linearSumAssignment(cost: MatrixLike, opts: { maximize?: boolean } = {}): Assignment {
  const c = checkMatrix64('cost', cost);
  return assign(c, opts.maximize ?? false);
}

/** Internal entry without validation (callers in metrics/ pass finite float64 matrices). */
export function assign(c: Matrix, maximize: boolean): Assignment {
  const R = c.rows, C = c.cols;
  if (R === 0 || C === 0) return { rowInd: new Int32Array(0), colInd: new Int32Array(0), total: 0 };
  const transposed = R > C;
  const nr = transposed ? C : R, nc = transposed ? R : C;
  const a = new Float64Array(nr * nc);
  const sign = maximize ? -1 : 1;
  if (transposed) {
    for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) a[j * nc + i] = sign * c.data[i * C + j];
  } else {
    for (let k = 0; k < R * C; k++) a[k] = sign * c.data[k];
  }
  const col4row = solveRect(a, nr, nc);
  const rowInd = new Int32Array(nr), colInd = new Int32Array(nr);
  if (!transposed) {
    for (let i = 0; i < nr; i++) { rowInd[i] = i; colInd[i] = col4row[i]; }
  } else {
    // Row i of the transposed problem is original column i, matched to original row col4row[i].
    const order = Array.from({ length: nr }, (_, i) => i).sort((p, q) => col4row[p] - col4row[q]);
    for (let k = 0; k < nr; k++) { rowInd[k] = col4row[order[k]]; colInd[k] = order[k]; }
  }
  let total = 0;
  for (let k = 0; k < nr; k++) total += c.data[rowInd[k] * C + colInd[k]];
  return { rowInd, colInd, total };
}

/** Minimise over injective maps rows→columns; nr ≤ nc; returns col4row. */
function solveRect(cost: Float64Array, nr: number, nc: number): Int32Array {
  const u = new Float64Array(nr), v = new Float64Array(nc);
  const spc = new Float64Array(nc); // shortest path costs
  const path = new Int32Array(nc).fill(-1);
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const SR = new Uint8Array(nr), SC = new Uint8Array(nc);
  const remaining = new Int32Array(nc);

  for (let curRow = 0; curRow < nr; curRow++) {
    // Dijkstra-like search for the shortest augmenting path from curRow to a free column.
    let minVal = 0;
    let numRemaining = nc;
    for (let it = 0; it < nc; it++) remaining[it] = nc - it - 1;
    SR.fill(0); SC.fill(0); spc.fill(Infinity);
    let sink = -1;
    let i = curRow;
    while (sink === -1) {
      let index = -1, lowest = Infinity;
      SR[i] = 1;
      const ui = u[i], off = i * nc;
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it];
        const r = minVal + cost[off + j] - ui - v[j];
        if (r < spc[j]) { path[j] = i; spc[j] = r; }
        if (spc[j] < lowest || (spc[j] === lowest && row4col[j] === -1)) { lowest = spc[j]; index = it; }
      }
      minVal = lowest;
      if (minVal === Infinity || index < 0) throw new ValueError('linearSumAssignment: cost matrix is infeasible (non-finite entries?)');
      const j = remaining[index];
      if (row4col[j] === -1) sink = j; else i = row4col[j];
      SC[j] = 1;
      remaining[index] = remaining[--numRemaining];
    }
    // Update the dual variables.
    u[curRow] += minVal;
    for (let r = 0; r < nr; r++) if (SR[r] && r !== curRow) u[r] += minVal - spc[col4row[r]];
    for (let j = 0; j < nc; j++) if (SC[j]) v[j] -= minVal - spc[j];
    // Augment along the path.
    let j = sink;
    for (;;) {
      const r = path[j];
      row4col[j] = r;
      const t = col4row[r]; col4row[r] = j; j = t;
      if (r === curRow) break;
    }
  }
  return col4row;
}
