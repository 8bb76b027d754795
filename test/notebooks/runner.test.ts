// The notebook runner (environment/run_notebooks.py) on deliberately failing notebooks: the report must name
// the notebook, the cell, the offending source line and the error text, and later cells must not run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root, runNotebooks } from './helpers';

const fixtures = path.join(__dirname, '..', 'fixtures', 'notebooks');

test('a run-time error is reported with notebook, cell, source line and message', () => {
  const { code, stdout, reports } = runNotebooks([path.join(fixtures, 'failing_runtime.ipynb')]);
  assert.equal(code, 1);
  const r = reports[0];
  assert.equal(r.notebook, 'failing_runtime.ipynb');
  assert.equal(r.status, 'error');
  assert.equal(r.error.cell, 3);
  assert.equal(r.error.line, 2);
  assert.match(r.error.source_line, /throw new Error/);
  assert.match(r.error.stderr, /deliberate failure: v = 2 is too large/);
  assert.match(stdout, /failing_runtime\.ipynb\s+error[\s\S]*failed in cell 3 \(code cell 2\), line 2/);
  // The cell after the failure did not run.
  const nb = JSON.parse(fs.readFileSync(path.join(r.outDir, 'failing_runtime.ipynb'), 'utf8'));
  assert.deepEqual(nb.cells[3].outputs, []);
});

test('a type error is reported with the compiler message and its line', () => {
  const { code, reports } = runNotebooks([path.join(fixtures, 'failing_compile.ipynb')]);
  assert.equal(code, 1);
  const e = reports[0].error;
  assert.equal(e.cell, 2);
  assert.equal(e.line, 2);
  assert.equal(e.source_line, 'const s: string = a;');
  assert.match(e.stderr, /Type 'number' is not assignable to type 'string'/);
});

test('a cell that runs too long is stopped and reported as a timeout', () => {
  fs.mkdirSync(path.join(root, 'build'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, 'build', 'tmp-loop-'));
  const nb = {
    cells: [{ cell_type: 'code', id: 'a', metadata: {}, execution_count: null, outputs: [], source: 'while (true) {}' }],
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } }, nbformat: 4, nbformat_minor: 5,
  };
  const file = path.join(dir, 'loop.ipynb');
  fs.writeFileSync(file, JSON.stringify(nb));
  const { code, reports } = runNotebooks([file], ['--cell-timeout', '5']);
  assert.equal(code, 1);
  assert.equal(reports[0].status, 'timeout');
  assert.equal(reports[0].error.cell, 1);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a kernel that dies is reported with the cell it died in, and the run goes on to the next notebook', () => {
  fs.mkdirSync(path.join(root, 'build'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, 'build', 'tmp-dead-'));
  const mk = (source: string) => JSON.stringify({
    cells: [{ cell_type: 'code', id: 'a', metadata: {}, execution_count: null, outputs: [], source }],
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } }, nbformat: 4, nbformat_minor: 5,
  });
  fs.writeFileSync(path.join(dir, 'a_dies.ipynb'), mk("console.error('about to exit');\nprocess.exit(3);"));
  fs.writeFileSync(path.join(dir, 'b_fine.ipynb'), mk("console.log('RESULTS {\"notebook\":\"b_fine\"}');"));
  const { code, reports } = runNotebooks([path.join(dir, 'a_dies.ipynb'), path.join(dir, 'b_fine.ipynb')]);
  assert.equal(code, 1);
  assert.notEqual(reports[0].status, 'ok');
  assert.equal(reports[0].error.cell, 1);
  assert.match(JSON.stringify(reports[0].error), /DeadKernel|died|about to exit/i);
  assert.equal(reports[1].status, 'ok');
  assert.deepEqual(reports[1].results, [{ notebook: 'b_fine' }]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('SIGTERM stops the runner with 143 and kills the busy kernel with it (it must not go on computing)', async () => {
  fs.mkdirSync(path.join(root, 'build'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, 'build', 'tmp-term-'));
  let kernel = 0;
  try {
    const nb = {
      cells: [{ cell_type: 'code', id: 'a', metadata: {}, execution_count: null, outputs: [], source: 'while (true) {}' }],
      metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } }, nbformat: 4, nbformat_minor: 5,
    };
    fs.writeFileSync(path.join(dir, 'busy.ipynb'), JSON.stringify(nb));
    const runner = spawn(path.join(root, 'environment', '.venv', 'bin', 'python'),
      [path.join(root, 'environment', 'run_notebooks.py'), '--mode', 'quick', '--out', path.join(dir, 'out'), path.join(dir, 'busy.ipynb')],
      { cwd: root, env: { ...process.env, WORKBOOK_ROOT: root } });
    let stdout = '';
    runner.stdout.on('data', (d) => { stdout += d; });
    const exited = new Promise<number | null>((resolve) => runner.on('exit', (code) => resolve(code)));
    // the kernel is the runner's child running tslab; wait until it is up and busy
    for (const t0 = Date.now(); !kernel && Date.now() - t0 < 60_000; await new Promise((r) => setTimeout(r, 250))) {
      const r = spawnSync('pgrep', ['-P', String(runner.pid), '-f', 'tslab kernel'], { encoding: 'utf8' });
      kernel = Number(r.stdout.trim().split('\n')[0]) || 0;
    }
    assert.ok(kernel > 0, 'the kernel should have started');
    await new Promise((r) => setTimeout(r, 3000));
    runner.kill('SIGTERM');
    assert.equal(await exited, 143);
    assert.match(stdout, /busy\.ipynb\s+stopped by signal 15; its kernel was killed/);
    let alive = true;
    for (const t0 = Date.now(); alive && Date.now() - t0 < 5000; await new Promise((r) => setTimeout(r, 100))) {
      try { process.kill(kernel, 0); } catch { alive = false; }
    }
    assert.equal(alive, false, `kernel ${kernel} still runs after the runner was stopped`);
  } finally {
    if (kernel) try { process.kill(kernel, 'SIGKILL'); } catch { /* gone, as it should be */ }
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
