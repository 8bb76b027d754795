/**
 * The working-set outer loop shared by the lasso kernels (internal). Per sample: take the support plus the
 * worst violators of the optimality conditions (|q_j| ≤ λ, non-negative: q_j ≤ λ, with q = c − G·z), solve the
 * lasso restricted to that set on a small dense block G_WW with an inner solver (coordinate descent or
 * proximal gradient), refresh q everywhere from the changes (N·|changed| flops, eight rows of G per pass over
 * q), and repeat until no coordinate outside the set violates the conditions. The violators are picked while
 * scanning q with a small min-heap (the scan then rarely branches), and G_WW is gathered from one triangle
 * (G is exactly symmetric): the refresh is the only O(N) work per changed coordinate.
 */
import { KernelCall } from './lasso';

/** Violators added to a working set: at least this many, else as many as the support has (the set at most doubles). */
const MIN_ADD = 10;

/** Remaining iterations of the current sample; inner solvers decrement `left` once per iteration. */
export interface Budget { left: number }

/**
 * An inner solver for min over z_W of ½ z_Wᵀ G_WW z_W − c_Wᵀ z_W + λ‖z_W‖₁, given G_WW (nw×nw, row-major),
 * the current zW and qW = c_W − G_WW·zW. It updates zW and qW in place (keeping qW consistent) and returns
 * whether it met the relative-change tolerance.
 */
export type InnerSolver = (GW: Float64Array, nw: number, zW: Float64Array, qW: Float64Array,
  lambda: number, nonneg: boolean, tolRel: number, budget: Budget) => boolean;

/**
 * q[qo + j] −= Σ_t steps[t]·G[rows[t]·N + j] for j < N, t < n: the correlation update after coordinates
 * rows[t] moved by steps[t] (G symmetric, so row rows[t] of G is its column). Eight rows per pass over q.
 */
function refresh(q: Float64Array, qo: number, G: Float64Array, N: number, rows: Int32Array, steps: Float64Array, n: number): void {
  let t = 0;
  for (; t + 8 <= n; t += 8) {
    const o0 = rows[t] * N, o1 = rows[t + 1] * N, o2 = rows[t + 2] * N, o3 = rows[t + 3] * N;
    const o4 = rows[t + 4] * N, o5 = rows[t + 5] * N, o6 = rows[t + 6] * N, o7 = rows[t + 7] * N;
    const d0 = steps[t], d1 = steps[t + 1], d2 = steps[t + 2], d3 = steps[t + 3];
    const d4 = steps[t + 4], d5 = steps[t + 5], d6 = steps[t + 6], d7 = steps[t + 7];
    for (let j = 0; j < N; j++) {
      q[qo + j] -= d0 * G[o0 + j] + d1 * G[o1 + j] + d2 * G[o2 + j] + d3 * G[o3 + j] +
        d4 * G[o4 + j] + d5 * G[o5 + j] + d6 * G[o6 + j] + d7 * G[o7 + j];
    }
  }
  for (; t + 4 <= n; t += 4) {
    const o0 = rows[t] * N, o1 = rows[t + 1] * N, o2 = rows[t + 2] * N, o3 = rows[t + 3] * N;
    const d0 = steps[t], d1 = steps[t + 1], d2 = steps[t + 2], d3 = steps[t + 3];
    for (let j = 0; j < N; j++) q[qo + j] -= d0 * G[o0 + j] + d1 * G[o1 + j] + d2 * G[o2 + j] + d3 * G[o3 + j];
  }
  for (; t + 2 <= n; t += 2) {
    const o0 = rows[t] * N, o1 = rows[t + 1] * N, d0 = steps[t], d1 = steps[t + 1];
    for (let j = 0; j < N; j++) q[qo + j] -= d0 * G[o0 + j] + d1 * G[o1 + j];
  }
  if (t < n) {
    const o0 = rows[t] * N, d0 = steps[t];
    for (let j = 0; j < N; j++) q[qo + j] -= d0 * G[o0 + j];
  }
}

/**
 * Offer (v, j) to a min-heap on v of at most `cap` entries (values hv, indices hi, nh in use): pushed while
 * there is room, else it replaces the root (the smallest) if larger. Returns the new size.
 */
function heapPush(hv: Float64Array, hi: Int32Array, nh: number, cap: number, v: number, j: number): number {
  if (nh < cap) {
    let c = nh++;
    while (c > 0) { const pa = (c - 1) >> 1; if (hv[pa] <= v) break; hv[c] = hv[pa]; hi[c] = hi[pa]; c = pa; }
    hv[c] = v; hi[c] = j;
    return nh;
  }
  if (v <= hv[0]) return nh;
  let c = 0;
  for (;;) {
    let l = 2 * c + 1;
    if (l >= nh) break;
    if (l + 1 < nh && hv[l + 1] < hv[l]) l++;
    if (hv[l] >= v) break;
    hv[c] = hv[l]; hi[c] = hi[l]; c = l;
  }
  hv[c] = v; hi[c] = j;
  return nh;
}

/** A lasso kernel from an inner solver. */
export function workingSetKernel(inner: InnerSolver): (k: KernelCall) => void {
  return (k: KernelCall): void => {
    const { p, lambda, nonneg, Z, Q, samples, tolRel, budget, converged } = k;
    const { N, G } = p;
    const W = new Int32Array(N), moved = new Int32Array(N), supp = new Int32Array(N);
    const inS = new Uint8Array(N);
    const hv = new Float64Array(N), hi = new Int32Array(N), dzs = new Float64Array(N);
    let cap = 64;
    let GW = new Float64Array(cap * cap);
    const zW = new Float64Array(N), zW0 = new Float64Array(N), qW = new Float64Array(N);
    const thr = lambda + (lambda * 1e-9 + 1e-14); // a coordinate at zero violates the conditions when q_j (|q_j|) exceeds this
    const bud: Budget = { left: 0 };
    for (let si = 0; si < samples.length; si++) {
      const b = samples[si];
      const zo = b * N;
      bud.left = budget[b];
      let ok = false;
      let nm = 0; // coordinates changed by the last inner solve (positions in moved, steps in dzs)
      let ns = 0; // the support (supp), flagged in inS
      for (let pass = 0; ; pass++) {
        // 1. Refresh q from the changes of the last solve, then collect the violators outside the support.
        refresh(Q, zo, G, N, moved, dzs, nm);
        // the worst violators outside the support, up to `want` of them, by a min-heap on the violation
        let want = Math.max(MIN_ADD, ns);
        let nh = 0;
        let cut = thr;
        if (pass === 0) {
          // first pass of the sample: also read its support (a warm start) from z; each support entry beyond
          // MIN_ADD makes room for one more violator (the heap then takes any violator until full again)
          for (let j = 0; j < N; j++) {
            const v = nonneg ? Q[zo + j] : Math.abs(Q[zo + j]);
            if (Z[zo + j] !== 0) { supp[ns++] = j; inS[j] = 1; if (ns > want) { want = ns; cut = thr; } continue; }
            if (v > cut) { nh = heapPush(hv, hi, nh, want, v, j); if (nh === want) cut = hv[0]; }
          }
        } else if (nonneg) {
          for (let j = 0; j < N; j++) {
            const v = Q[zo + j];
            if (v > cut && inS[j] === 0) { nh = heapPush(hv, hi, nh, want, v, j); if (nh === want) cut = hv[0]; }
          }
        } else {
          for (let j = 0; j < N; j++) {
            const v = Math.abs(Q[zo + j]);
            if (v > cut && inS[j] === 0) { nh = heapPush(hv, hi, nh, want, v, j); if (nh === want) cut = hv[0]; }
          }
        }
        if (nh === 0 && (ok || ns === 0)) { ok = true; break; } // the conditions hold everywhere (or z = 0 is optimal)
        if (bud.left <= 0) { ok = false; break; }
        // 2. Working set: support ∪ those violators (in ascending order).
        let nw = ns;
        for (let a = 0; a < ns; a++) W[a] = supp[a];
        for (let c = 0; c < nh; c++) {
          const j = hi[c];
          let a = nw++;
          while (a > ns && W[a - 1] > j) { W[a] = W[a - 1]; a--; }
          W[a] = j;
        }
        // 3. Gather the dense block G_WW and the local state.
        if (nw > cap) { cap = Math.max(nw, 2 * cap); GW = new Float64Array(cap * cap); }
        for (let a = 0; a < nw; a++) {
          const ja = W[a], ro = ja * N;
          for (let c = a; c < nw; c++) { const g = G[ro + W[c]]; GW[a * nw + c] = g; GW[c * nw + a] = g; }
          zW[a] = Z[zo + ja]; zW0[a] = zW[a]; qW[a] = Q[zo + ja];
        }
        // 4. Solve on the working set; store z, the new support and the changes for the refresh.
        ok = inner(GW, nw, zW, qW, lambda, nonneg, tolRel, bud);
        nm = 0; ns = 0;
        for (let a = 0; a < nw; a++) {
          const j = W[a];
          if (zW[a] !== 0) { supp[ns++] = j; inS[j] = 1; } else inS[j] = 0;
          const dz = zW[a] - zW0[a];
          if (dz === 0) continue;
          moved[nm] = j; dzs[nm] = dz; nm++;
          Z[zo + j] = zW[a];
        }
      }
      for (let a = 0; a < ns; a++) inS[supp[a]] = 0;
      budget[b] = bud.left;
      converged[b] = ok ? 1 : 0;
      k.tick(si + 1);
    }
  };
}
