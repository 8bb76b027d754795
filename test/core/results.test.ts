import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportResults, workbookMode, bySize, ResultCheckError } from '../../src/core/results';

function capture(fn: () => void): string {
  const old = console.log;
  const out: string[] = [];
  console.log = (...a: unknown[]) => { out.push(a.join(' ')); };
  try { fn(); } finally { console.log = old; }
  return out.join('\n');
}

test('prints a RESULTS JSON line and passes when checks hold', () => {
  const out = capture(() => reportResults('nb', { r2: 0.97, n: 3 }, { r2: { expect: '≥ 0.95', test: (v) => (v as number) >= 0.95 } }, { r2: '0.982 (measured, PyTorch)' }));
  const line = out.split('\n').find((l) => l.startsWith('RESULTS '))!;
  assert.deepEqual(JSON.parse(line.slice(8)), { notebook: 'nb', mode: workbookMode(), r2: 0.97, n: 3 });
  assert.match(out, /r2 +0\.9700 +≥ 0\.95 +0\.982 \(measured, PyTorch\) +yes/);
});

test('throws naming every failing quantity', () => {
  assert.throws(() => capture(() => reportResults('nb', { a: 1, b: 2, c: 3 }, { a: (v) => v === 1, b: (v) => v === 5, c: { expect: '> 10', test: (v) => (v as number) > 10 } })),
    (e: unknown) => e instanceof ResultCheckError && /2 result check\(s\) failed/.test(e.message) && /b = 2 \(expected v ?=== ?5\)/.test(e.message) && /c = 3 \(expected > 10\)/.test(e.message));
});

test('mode comes from WORKBOOK_MODE and bySize follows it', () => {
  const old = process.env.WORKBOOK_MODE;
  try {
    process.env.WORKBOOK_MODE = 'quick';
    assert.equal(bySize({ quick: 1, full: 2 }), 1);
    process.env.WORKBOOK_MODE = 'full';
    assert.equal(bySize({ quick: 1, full: 2 }), 2);
    process.env.WORKBOOK_MODE = 'fast';
    assert.throws(() => workbookMode(), /WORKBOOK_MODE=fast is not a mode/);
  } finally {
    if (old === undefined) delete process.env.WORKBOOK_MODE; else process.env.WORKBOOK_MODE = old;
  }
});

test('a failing check with a known gap is reported, listed in RESULTS, and not thrown; it passes silently once it holds', () => {
  const out = capture(() => reportResults('nb', { lines: 1, other: 2 }, {
    lines: { expect: '≥ 3 of 5', test: (v) => (v as number) >= 3, knownGap: 'needs n=200 at 10k steps' },
    other: (v) => v === 2,
  }));
  assert.match(out, /lines +1 +≥ 3 of 5 +NO \(known gap: needs n=200 at 10k steps\)/);
  const line = out.split('\n').find((l) => l.startsWith('RESULTS '))!;
  assert.deepEqual(JSON.parse(line.slice(8)).known_gaps, { lines: 'needs n=200 at 10k steps' });
  const ok = capture(() => reportResults('nb', { lines: 4 }, { lines: { expect: '≥ 3 of 5', test: (v) => (v as number) >= 3, knownGap: 'x' } }));
  assert.match(ok, /lines +4 +≥ 3 of 5 +yes/);
  assert.equal(JSON.parse(ok.split('\n').find((l) => l.startsWith('RESULTS '))!.slice(8)).known_gaps, undefined);
});
