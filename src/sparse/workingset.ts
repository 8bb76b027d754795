/**
 * The working-set outer loop shared by the lasso kernels (internal). Per sample: take the support plus the
 * worst violators of the optimality conditions (|q_j| ≤ λ, non-negative: q_j ≤ λ, with q = c − G·z), solve the
 * lasso restricted to that set on a small dense block G_WW with an inner solver (coordinate descent or
 * proximal gradient), refresh q everywhere from the changes (N·|changed| flops), and repeat until no
 * coordinate outside the set violates the conditions.
 */
import { kthLargest } from '../compute/select';
import { KernelCall } from './lasso';

/** Remaining iterations of the current sample; inner solvers decrement `left` once per iteration. */
export interface Budget { left: number }

/**
 * An inner solver for min over z_W of ½ z_Wᵀ G_WW z_W − c_Wᵀ z_W + λ‖z_W‖₁, given G_WW (nw×nw, row-major),
 * the current zW and qW = c_W − G_WW·zW. It updates zW and qW in place (keeping qW consistent) and returns
 * whether it met the relative-change tolerance.
 */
export type InnerSolver = (GW: Float64Array, nw: number, zW: Float64Array, qW: Float64Array,
  lambda: number, nonneg: boolean, tolRel: number, budget: Budget) => boolean;

/** A lasso kernel from an inner solver. */
export function workingSetKernel(inner: InnerSolver): (k: KernelCall) => void {
  return (k: KernelCall): void => {
    const { p, lambda, nonneg, Z, Q, samples, tolRel, budget, converged } = k;
    const { N, G } = p;
    const W = new Int32Array(N), cand = new Int32Array(N);
    const viol = new Float64Array(N), sv = new Float64Array(N);
    let cap = 64;
    let GW = new Float64Array(cap * cap);
    const zW = new Float64Array(N), zW0 = new Float64Array(N), qW = new Float64Array(N);
    const kkt = lambda * 1e-9 + 1e-14;
    const bud: Budget = { left: 0 };
    for (let si = 0; si < samples.length; si++) {
      const b = samples[si];
      const z = Z.subarray(b * N, (b + 1) * N);
      const q = Q.subarray(b * N, (b + 1) * N);
      bud.left = budget[b];
      let ok = false;
      while (bud.left > 0) {
        // 1. Working set: support ∪ the worst violators outside it.
        let nw = 0, nc = 0;
        for (let j = 0; j < N; j++) {
          if (z[j] !== 0) { W[nw++] = j; continue; }
          const v = (nonneg ? q[j] : Math.abs(q[j])) - lambda;
          if (v > kkt) { viol[j] = v; cand[nc++] = j; }
        }
        if (nc === 0 && ok) break; // inner converged and the conditions hold everywhere
        if (nc === 0 && nw === 0) { ok = true; break; } // z = 0 is optimal
        const take = Math.min(nc, Math.max(10, nw));
        if (take < nc) {
          for (let t = 0; t < nc; t++) sv[t] = viol[cand[t]];
          const thr = kthLargest(sv, take, { length: nc });
          let added = 0;
          for (let t = 0; t < nc && added < take; t++) if (viol[cand[t]] >= thr) { W[nw++] = cand[t]; added++; }
        } else {
          for (let t = 0; t < nc; t++) W[nw++] = cand[t];
        }
        // 2. Gather the dense block G_WW and the local state.
        if (nw > cap) { cap = Math.max(nw, 2 * cap); GW = new Float64Array(cap * cap); }
        for (let a = 0; a < nw; a++) {
          const ja = W[a], ro = ja * N, o = a * nw;
          for (let c = 0; c < nw; c++) GW[o + c] = G[ro + W[c]];
          zW[a] = z[ja]; zW0[a] = z[ja]; qW[a] = q[ja];
        }
        // 3. Solve on the working set.
        ok = inner(GW, nw, zW, qW, lambda, nonneg, tolRel, bud);
        // 4. Refresh q everywhere from the changes, then restore the exactly maintained working-set entries.
        for (let a = 0; a < nw; a++) {
          const dz = zW[a] - zW0[a];
          if (dz === 0) continue;
          const ro = W[a] * N;
          for (let j = 0; j < N; j++) q[j] -= dz * G[ro + j];
        }
        for (let a = 0; a < nw; a++) { z[W[a]] = zW[a]; q[W[a]] = qW[a]; }
      }
      budget[b] = bud.left;
      converged[b] = ok ? 1 : 0;
      k.tick(si + 1);
    }
  };
}
