// Pins the tslab internals show() depends on: if tslab changes them, this test fails (see src/viz/kernel.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as aq from 'arquero';
import { DisplayBundle, TSLAB_TESTED_VERSIONS, kernelWriter, tslabVersion } from '../../src/viz/kernel';
import { show, figureBundle } from '../../src/viz/show';
import { lineFigure } from '../../src/viz/line';
import { rendererStatus } from '../../src/viz/render';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: ((c: DisplayBundle, u: boolean) => void) | null };

function withSpy<T>(fn: (calls: Array<[DisplayBundle, boolean]>) => T): T {
  const calls: Array<[DisplayBundle, boolean]> = [];
  const saved = jupyter.lastWriteDisplayData;
  jupyter.lastWriteDisplayData = (c, u) => { calls.push([c, u]); };
  try { return fn(calls); } finally { jupyter.lastWriteDisplayData = saved; }
}

test('the installed tslab is a version show() was tested with, and the one package.json pins', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
  assert.equal(tslabVersion(), pkg.dependencies.tslab);
  assert.ok(TSLAB_TESTED_VERSIONS.includes(tslabVersion()), `tslab ${tslabVersion()} is untested: re-check src/viz/kernel.ts`);
});

test("tslab's public display API writes through jupyter.lastWriteDisplayData (the internal writer show() uses)", () => {
  assert.ok('lastWriteDisplayData' in jupyter, 'tslab/dist/jupyter no longer exports lastWriteDisplayData');
  assert.equal(kernelWriter(), null, 'outside a cell there must be no writer');
  withSpy((calls) => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { display } = require('tslab') as { display: { text(s: string): void } };
    display.text('hello');
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0][0].data, { 'text/plain': 'hello' });
    assert.ok(!calls[0][1], 'a plain display_data, not an update');
    assert.equal(kernelWriter()?.via, 'internal');
  });
});

test('show(figure) in a kernel writes ONE display_data with plotly JSON + text (+ PNG when Chromium renders)', async () => {
  process.env.WORKBOOK_STATIC = '0';   // no browser here: the PNG part is checked in render.test.ts
  try {
    const fig = lineFigure([{ name: 'a', x: [0, 1], y: [1, 2] }], { title: 'Kernel test', xTitle: 'x', yTitle: 'y' });
    const calls: Array<[DisplayBundle, boolean]> = [];
    const saved = jupyter.lastWriteDisplayData;
    jupyter.lastWriteDisplayData = (c, u) => { calls.push([c, u]); };
    const log = console.log;
    const printed: string[] = [];
    console.log = (s: string) => { printed.push(String(s)); };
    try {
      await show(fig);
      await show(fig);
    } finally {
      jupyter.lastWriteDisplayData = saved;
      console.log = log;
    }
    assert.equal(calls.length, 2);
    const [bundle, update] = calls[0];
    assert.equal(update, false);
    assert.deepEqual(Object.keys(bundle.data).sort(), ['application/vnd.plotly.v1+json', 'text/plain']);
    assert.deepEqual((bundle.data['application/vnd.plotly.v1+json'] as { data: unknown }).data, fig.data);
    assert.match(String(bundle.data['text/plain']), /^Figure: Kernel test — scatter, 760×480px$/);
    assert.deepEqual(bundle.metadata['superposition-workbook'], { name: 'kernel-test' });
    assert.deepEqual(bundle.transient, {});
    // "Static images are off" is said once, not per figure.
    assert.equal(printed.filter((s) => /Static images are off/.test(s)).length, 1);
  } finally {
    delete process.env.WORKBOOK_STATIC;
  }
});

test('figureBundle: PNG with its CSS size in metadata; HTML only on request, plotly.js inlined once', () => {
  const fig = lineFigure([{ name: 'a', x: [0], y: [1] }], { title: 'B', xTitle: 'x', yTitle: 'y' });
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
  const b = figureBundle(fig, { svg: '<svg/>', png, width: 760, height: 480, scale: 2 });
  assert.deepEqual(Object.keys(b.data).sort(), ['application/vnd.plotly.v1+json', 'image/png', 'text/plain']);
  assert.equal(b.data['image/png'], png.toString('base64'));
  assert.deepEqual(b.metadata['image/png'], { width: 760, height: 480 });
  const h1 = figureBundle(fig, null, { html: true }).data['text/html'] as string;
  const h2 = figureBundle(fig, null, { html: true }).data['text/html'] as string;
  assert.ok(h1.length > 3e6 && /window\.Plotly = Plotly/.test(h1), 'first HTML figure inlines plotly.js');
  assert.ok(h2.length < 5e4 && /Plotly\.newPlot|P\.newPlot/.test(h2), 'later ones reuse it');
  assert.equal(h1.split('</script>').length - 1, 2, 'no stray </script> inside the inlined library');
  assert.ok(figureBundle(fig, null, { html: 'always' }).data['text/html'] as string, 'always inlines');
});

test('show(table) in a kernel writes text/html + text/plain in one output', async () => {
  await withSpy(async (calls) => {
    await show(aq.table({ method: ['SAE', 'FISTA'], mcc: [0.512345, 0.9] }));
    assert.equal(calls.length, 1);
    assert.deepEqual(Object.keys(calls[0][0].data).sort(), ['text/html', 'text/plain']);
  });
});

test('without Chromium, rendering is reported off with the reason and how to fix it', () => {
  process.env.WORKBOOK_CHROMIUM = '/nonexistent/chromium';
  try {
    const s = rendererStatus();
    assert.equal(s.available, false);
    assert.match(s.reason ?? '', /no Chromium at \/nonexistent\/chromium .*WORKBOOK_CHROMIUM/);
  } finally {
    delete process.env.WORKBOOK_CHROMIUM;
  }
});
