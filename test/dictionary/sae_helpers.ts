// Shared by the SAE gradient tests: random parameters, and a check run on both product paths of the engine.
import { dispatchPolicy, setDispatchPolicy } from '../../src/compute/dispatch';
import { Rng } from '../../src/core/rng';
import { SparseAutoencoder } from '../../src/dictionary/sae_base';

/** Gives `m` random parameters for inputs of width M (encoder biases around `bEncMean`, default 0.3, so that latents fire). */
export function randomise(m: SparseAutoencoder, M: number, seed: number, bEncMean = 0.3): void {
  const r = new Rng(seed), N = m.features;
  m.dim = M;
  m.E = r.fillNormal(new Float32Array(N * M), 0, 0.5);
  m.D = r.fillNormal(new Float32Array(N * M), 0, 0.5);
  m.bEnc = r.fillNormal(new Float32Array(N), bEncMean, 0.1);
  m.bDec = r.fillNormal(new Float32Array(M), 0, 0.1);
}

/**
 * Runs `check` once with every product forced dense (sparseMaxDensity 0) and once forced sparse (2), then restores
 * the dispatch policy, also when the check throws.
 */
export async function onBothProductPaths(check: (path: 'dense' | 'sparse') => void | Promise<void>): Promise<void> {
  const defaultDensity = dispatchPolicy().sparseMaxDensity;
  try {
    for (const path of ['dense', 'sparse'] as const) {
      setDispatchPolicy({ sparseMaxDensity: path === 'dense' ? 0 : 2 });
      await check(path);
    }
  } finally {
    setDispatchPolicy({ sparseMaxDensity: defaultDensity });
  }
}
