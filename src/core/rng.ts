/**
 * Seeded pseudo-random numbers, identical on every platform and tfjs backend.
 *
 * Every stochastic routine of the workbook takes a `seed` (a non-negative integer) and draws from an
 * {@link Rng} made from it, never from `Math.random` or tfjs' own initialisers, so the same seed gives
 * the same numbers whichever backend runs the maths.
 *
 * Generator: xoshiro128** (Blackman & Vigna), 32-bit state words seeded by SplitMix32.
 */

/** A seeded random number generator. Methods advance its state. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  /** @param seed any finite number; its integer part modulo 2^32 is used. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng: seed must be a finite number, got ${seed}`);
    let x = Math.trunc(seed) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0; this.s1 >>>= 0; this.s2 >>>= 0; this.s3 >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [lo, hi). */
  uniformIn(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Standard normal N(0, 1) by the Box–Muller transform. */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]; p[i] = p[j]; p[j] = t;
    }
    return p;
  }

  /** k distinct integers drawn uniformly from 0..n-1 (in random order). */
  choice(n: number, k: number): Int32Array {
    if (k > n) throw new RangeError(`Rng.choice: cannot draw ${k} distinct values from ${n}`);
    // Partial Fisher–Yates on a sparse map: O(k) memory and time.
    const swapped = new Map<number, number>();
    const out = new Int32Array(k);
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const vj = swapped.get(j) ?? j;
      const vi = swapped.get(i) ?? i;
      out[i] = vj;
      swapped.set(j, vi);
    }
    return out;
  }

  /** Fill a typed array with N(mean, std²) samples; returns the array. */
  fillNormal<T extends Float32Array | Float64Array>(a: T, mean = 0, std = 1): T {
    for (let i = 0; i < a.length; i++) a[i] = mean + std * this.normal();
    return a;
  }

  /** Fill a typed array with U[lo, hi) samples; returns the array. */
  fillUniform<T extends Float32Array | Float64Array>(a: T, lo = 0, hi = 1): T {
    for (let i = 0; i < a.length; i++) a[i] = lo + (hi - lo) * this.uniform();
    return a;
  }

  /** A child generator whose stream does not overlap this one's in practice (seeded from it). */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Shorthand: `rng(seed)` is `new Rng(seed)`. */
export function rng(seed: number): Rng {
  return new Rng(seed);
}
