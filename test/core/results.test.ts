import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportResults, evaluateChecks, workbookMode, bySize, ResultCheckError, Check } from '../../src/core/results';

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
  assert.deepEqual(JSON.parse(line.slice(8)), { notebook: 'nb', mode: workbookMode(), r2: 0.97, n: 3, verdicts: { r2: 'reproduces' } });
  assert.match(out, /r2 +0\.9700 +≥ 0\.95 +0\.982 \(measured, PyTorch\) +reproduces/);
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

const gap = (knownGap: string | undefined = 'needs n=200 at 10k steps'): Check => ({
  expect: '≥ 3 of 5', test: (v) => (v as number) >= 3, knownGap: knownGap as string, floor: { expect: '≥ 1', test: (v) => (v as number) >= 1 },
});

test('a known gap above its floor is reported, listed in RESULTS, and not thrown; it turns to reproduces once it holds', () => {
  const out = capture(() => reportResults('nb', { lines: 1, other: 2 }, { lines: gap(), other: (v) => v === 2 }));
  assert.match(out, /lines +1 +≥ 3 of 5 +known gap \(needs n=200 at 10k steps; floor ≥ 1 holds\)/);
  const res = JSON.parse(out.split('\n').find((l) => l.startsWith('RESULTS '))!.slice(8));
  assert.deepEqual(res.known_gaps, { lines: 'needs n=200 at 10k steps' });
  assert.deepEqual(res.verdicts, { lines: 'known gap', other: 'reproduces' });
  const ok = capture(() => reportResults('nb', { lines: 4 }, { lines: gap('x') }));
  assert.match(ok, /lines +4 +≥ 3 of 5 +reproduces/);
  const okRes = JSON.parse(ok.split('\n').find((l) => l.startsWith('RESULTS '))!.slice(8));
  assert.equal(okRes.known_gaps, undefined);
  assert.deepEqual(okRes.verdicts, { lines: 'reproduces' });
});

test('a known gap below its floor throws: the experiment is broken, not merely not reproducing', () => {
  let out = '';
  assert.throws(() => { out = ''; const old = console.log; console.log = (...a: unknown[]) => { out += a.join(' ') + '\n'; }; try { reportResults('nb', { lines: 0 }, { lines: gap() }); } finally { console.log = old; } },
    (e: unknown) => e instanceof ResultCheckError && /lines = 0 \(known gap, but below its floor ≥ 1/.test(e.message));
  assert.match(out, /"verdicts":\{"lines":"fails"\}/, 'the RESULTS line is printed before throwing');
});

test('a known gap without a floor, or a check of a quantity that has no value, is refused', () => {
  const noFloor = { expect: '> 0', test: (v: unknown) => (v as number) > 0, knownGap: 'why' } as unknown as Check;
  assert.throws(() => evaluateChecks({ a: 1 }, { a: noFloor }), /known gap without a floor/);
  assert.throws(() => evaluateChecks({ a: 1 }, { b: (v) => v === 1 }), /check 'b' has no value/);
});

test('evaluateChecks: verdicts without printing; a check may compare with another value', () => {
  const v = evaluateChecks({ dense: 2, sparse: 5, worse: 1 }, {
    sparse: { expect: '> dense', test: (x, all) => (x as number) > (all.dense as number) },
    worse: { expect: '> dense', test: (x, all) => (x as number) > (all.dense as number) },
  });
  assert.deepEqual(Object.fromEntries(Object.entries(v).map(([k, o]) => [k, o.verdict])), { sparse: 'reproduces', worse: 'fails' });
});
