import { test } from 'node:test';
import assert from 'node:assert/strict';
import { erfc, normalCdf, normalPdf } from '../../src/core/special';

test('erfc and the normal CDF/PDF match tabulated values', () => {
  // erfc(0) = 1, erfc(1) = 0.157299207, erfc(-1) = 1.842700793; Φ(1.959964) = 0.975; φ(0) = 1/√(2π)
  assert.ok(Math.abs(erfc(0) - 1) < 1e-7);
  assert.ok(Math.abs(erfc(1) - 0.157299207) < 1e-7);
  assert.ok(Math.abs(erfc(-1) - 1.842700793) < 1e-7);
  assert.ok(Math.abs(normalCdf(1.959964) - 0.975) < 1e-6);
  assert.ok(Math.abs(normalCdf(-1.959964) - 0.025) < 1e-6);
  assert.ok(Math.abs(normalPdf(0) - 0.3989422804) < 1e-9);
});
