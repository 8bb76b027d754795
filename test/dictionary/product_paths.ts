// Shared by the SAE gradient tests: run a check on both product paths of the engine.
import { dispatchPolicy, setDispatchPolicy } from '../../src/compute/dispatch';

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
