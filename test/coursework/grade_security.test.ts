/**
 * Grading against hostile submissions (issue 17): a FIFO in place of a result file cannot hang the grader;
 * a later submission cannot read an earlier one's harness (its code) or work; a uid's files are removed
 * and runs draw fresh uids; the reference implementations and the exercise's solving exports cannot be
 * called by any route (computed property names, a renamed import, deep paths, require.cache, import(), a
 * child process); a result nested 200k levels deep gives a clear message; non-positive timeouts are refused;
 * the headless run of honest work can write its results and figures.
 * The integration part runs as root with uid isolation (as grading does); elsewhere it checks what it can.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gradeSubmissions, NotebookGrade } from '../../src/coursework/grade';
import { parseHarnessResult } from '../../src/coursework/harness';
import { Notebook, cellSource, readNotebook, writeNotebook } from '../../src/coursework/notebook';
import { dropsPrivileges, removeFilesOf, untraversableDir } from '../../src/coursework/sandbox';
import { UntrustedDataError, jsonDepth, parseJsonBounded, readSandboxText } from '../../src/coursework/untrusted';

const root = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(root, 'test', 'fixtures', 'coursework', 'cw_sparse.ipynb');
const SOLUTIONS = path.dirname(FIXTURE);
const isRoot = process.getuid?.() === 0 && dropsPrivileges() && !untraversableDir(root);

/** The solution notebook with exercise answers replaced, extra import lines, and code before an exercise's function. */
function plant(nb: Notebook, answers: Record<string, string>, o: { imports?: string; before?: Record<string, string> } = {}): Notebook {
  const out: Notebook = JSON.parse(JSON.stringify(nb));
  for (const c of out.cells) {
    let src = cellSource(c);
    if (o.imports && /^import \* as sw/.test(src)) src = `${src}\n${o.imports}`;
    const id = (c.metadata.exercise as { id?: string } | undefined)?.id;
    if (id && answers[id] !== undefined) src = src.replace(/\/\/ BEGIN SOLUTION\n[\s\S]*?\/\/ END SOLUTION/, answers[id]);
    if (id && o.before?.[id]) src = `${o.before[id]}\n${src}`;
    c.source = src;
  }
  return out;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const f = path.join(dir, e.name);
    return e.isDirectory() ? [f, ...walk(f)] : [f];
  });
}

const ex = (g: NotebookGrade, id: string) => g.exercises.find((e) => e.id === id)!;
const byStudent = (gs: NotebookGrade[], s: string): NotebookGrade => {
  const g = gs.find((x) => x.student === s);
  assert.ok(g, `no grade for ${s}`);
  return g;
};

test('a FIFO in place of a sandbox file is refused at once, never opened blocking', { skip: process.platform === 'win32' }, () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-fifo-'));
  try {
    const fifo = path.join(d, 'result-soft-threshold.jsonl');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    // Before the fix the grader opened this without O_NONBLOCK and waited for a writer forever.
    assert.throws(() => readSandboxText(fifo, { what: 'the result file of your exercise process', maxBytes: 1024 }),
      (e: Error) => e instanceof UntrustedDataError && /result file of your exercise process is a FIFO \(named pipe\), not a regular file/.test(e.message));
    const link = path.join(d, 'report.json');
    fs.symlinkSync('/etc/passwd', link);
    assert.throws(() => readSandboxText(link, { what: 'the report', maxBytes: 1 << 20 }), /the report is a symbolic link/);
    const big = path.join(d, 'big.jsonl');
    fs.writeFileSync(big, 'x'.repeat(2000));
    assert.throws(() => readSandboxText(big, { what: 'the result file', maxBytes: 1000 }), /2000 bytes, over the limit of 1000 bytes/);
    assert.equal(readSandboxText(path.join(d, 'absent'), { what: 'x', maxBytes: 10 }), null);
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

test('JSON from a submission: depth bounded before parsing, with a message instead of a stack overflow', () => {
  const deep = '['.repeat(200000) + ']'.repeat(200000);
  assert.equal(jsonDepth('{"a": "[[[[", "b": [[1]]}'), 3);
  assert.equal(jsonDepth('["\\"[[[", [2]]'), 2);
  assert.throws(() => parseJsonBounded(deep, { what: 'a result line' }), /a result line is nested more than 64 levels deep/);
  assert.deepEqual(parseJsonBounded('{"value": [[1, 2]]}', { what: 'x' }), { value: [[1, 2]] });
  assert.throws(() => parseJsonBounded('{"value": ', { what: 'the report' }), /the report is not valid JSON/);
  const rep = parseHarnessResult(`{"value": 1, "mutated": []}\n{"value": ${deep}}\n`);
  assert.equal(rep.outcomes.length, 2);
  assert.equal(rep.outcomes[0].ok, true);
  const bad = rep.outcomes[1];
  assert.ok(!bad.ok && /nested more than 64 levels deep/.test(bad.error.message), JSON.stringify(bad).slice(0, 300));
});

test('removeFilesOf removes every file of a uid where it could write, and nothing of other users', { skip: process.getuid?.() !== 0 }, () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-uid-'));
  try {
    const uid = 1234567;
    const shared = path.join(d, 'shared');
    fs.mkdirSync(shared, { mode: 0o777 });
    fs.chmodSync(shared, 0o1777);
    const mine = [path.join(d, 'left.txt'), path.join(shared, 'deep.txt')];
    for (const f of mine) { fs.writeFileSync(f, 'answers'); fs.chownSync(f, uid, uid); }
    const theirDir = path.join(d, 'their-dir');
    fs.mkdirSync(theirDir);
    fs.writeFileSync(path.join(theirDir, 'x'), 'x');
    fs.chownSync(theirDir, uid, uid);
    const other = path.join(shared, 'other.txt');
    fs.writeFileSync(other, 'keep');
    const removed = removeFilesOf({ uid, gid: uid, description: 'test' }, [d]).sort();
    assert.deepEqual(removed, [...mine, theirDir].sort());
    assert.ok(fs.existsSync(other));
    assert.ok(!mine.some((f) => fs.existsSync(f)));
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

test('each grading run draws fresh uids (two runs do not start at the same uid)', { skip: !isRoot }, () => {
  const code = "import { newIdentity } from './src/coursework/sandbox'; console.log(newIdentity().uid, newIdentity().uid);";
  const uids = [1, 2].flatMap(() => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split(' ').map(Number);
  });
  assert.equal(new Set(uids).size, 4, `uids ${uids.join(', ')}`);
  for (const u of uids) assert.ok(u >= 100000, `uid ${u} is in the range of system and login users`);
});

test('grade --timeout 0 / -5 is refused with exit 2 and a message; gradeSubmissions refuses it too', async () => {
  for (const t of ['0', '-5']) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'cli', 'main.ts'), 'grade', '--skip-run', `--timeout=${t}`, FIXTURE],
      { cwd: root, encoding: 'utf8', env: { ...process.env, WORKBOOK_ROOT: root } });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`option --timeout needs a number > 0 and ≤ 86400, got '${t}'`));
  }
  await assert.rejects(gradeSubmissions([FIXTURE], { root, solutions: [SOLUTIONS], timeoutSeconds: 0, runNotebook: false }), /timeoutSeconds must be a number of seconds > 0, got 0/);
});

test('hostile submissions (graded two at a time): no call to a reference by any route, no copying from an earlier or concurrent submission, nothing left behind', { skip: !isRoot }, async () => {
  const subs = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-sec-'));
  fs.chmodSync(subs, 0o700);
  const scratch = path.join(root, 'build', 'grading', `security-${process.pid}-${Date.now()}`);
  const sol = readNotebook(FIXTURE);
  const put = (student: string, nb: Notebook) => writeNotebook(path.join(subs, student, 'cw_sparse.ipynb'), nb);
  put('a-honest', sol);
  // Bypasses of the former text filter, each in place of an answer.
  put('b-computed-names', plant(sol, {
    'soft-threshold': "return (sw as any)['course' + 'work'].reference.softThreshold(z, lambda);",
    'ista-step': "return (sw as any)['course' + 'work']['refer' + 'ence']['istaStep'](Z, X, D, lambda, step);",
    mcc: "return (sw as any)['m' + 'cc'](zTrue, zPred).mcc;",
  }));
  put('c-renamed-import', plant(sol, {
    'soft-threshold': 'return cw.reference.softThreshold(z, lambda);',
    'ista-step': 'return cw.exerciseSpec("ista-step").reference(Z, X, D, lambda, step);',
    mcc: 'return measure(zTrue, zPred).mcc;',
  }, { imports: "import { coursework as cw, mcc as measure } from 'superposition-workbook';" }));
  const dist = JSON.stringify(path.join(fs.realpathSync(root), 'dist'));
  put('d-deep-paths', plant(sol, {
    'soft-threshold': `return require(${dist} + '/coursework/reference/sparse.js').softThreshold(z, lambda);`,
    'ista-step': `const m = Object.values(require.cache).map((x: any) => x.exports).find((e: any) => e && e.reference && e.reference.istaStep) as any;
  if (m) return m.reference.istaStep(Z, X, D, lambda, step);
  return require('superposition-workbook/dist/coursework/reference/index.js').istaStep(Z, X, D, lambda, step);`,
    mcc: `return require(${dist} + '/metrics/mcc.js').mcc(zTrue, zPred).mcc;`,
  }));
  put('e-other-processes', plant(sol, {
    'soft-threshold': `const out = require('child_process').execFileSync(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(require(' + JSON.stringify(${dist}) + ').coursework.reference.softThreshold(' + JSON.stringify(z) + ', ' + lambda + ')))']);
  return JSON.parse(String(out));`,
    'ista-step': `throw new Error('unused');`,
    mcc: 'return 0;',
  }, {
    before: {
      // import() from code the TypeScript compiler does not see, and a Worker: both refused
      'ista-step': `let viaImport = 'no'; try { await new Function("return import('superposition-workbook')")(); viaImport = 'yes'; } catch (e) { viaImport = String(e); }
let viaWorker = 'no'; try { new (require('worker_threads').Worker)('1', { eval: true }); viaWorker = 'yes'; } catch (e) { viaWorker = String(e); }
console.log('IMPORT:' + viaImport + ' WORKER:' + viaWorker);`,
    },
  }));
  // A later submission looking for the earlier ones' harness files (their code), cases and work folders.
  put('f-peer-reader', plant(sol, {
    'soft-threshold': 'return z.map(() => 0);',
  }, {
    before: {
      'soft-threshold': `const fs_ = require('fs');
const found: string[] = [];
const look = (d: string, depth: number): void => { let es: string[] = []; try { es = fs_.readdirSync(d); } catch (e) { return; }
  for (const e of es) { const f = d + '/' + e; try { if (fs_.statSync(f).isDirectory()) { if (depth < 4) look(f, depth + 1); } else { fs_.readFileSync(f, 'utf8'); found.push(f); } } catch (err) { /* denied */ } } };
look(${JSON.stringify(scratch)}, 0);
look('/tmp', 0);
console.log('PEER-FILES:' + found.filter((f) => /harness|cases|result|cw_sparse/.test(f)).length);`,
    },
  }));
  // A submission writing a result nested 200k levels deep itself, then exiting.
  put('g-deep-result', plant(sol, {
    mcc: `require('fs').writeFileSync('result-mcc.jsonl', '{"value":' + '['.repeat(200000) + ']'.repeat(200000) + '}\\n'); process.exit(0); return 0;`,
  }));

  try {
    const { grades, outDir } = await gradeSubmissions([subs], { root, solutions: [SOLUTIONS], outDir: scratch, timeoutSeconds: 20, runNotebook: false, seed: 11, jobs: 2 });
    const a = byStudent(grades, 'a-honest');
    assert.equal(a.score, 7, JSON.stringify(a.exercises));

    const refused = /ForbiddenCallError: (calling sw\.mcc is not allowed in exercise mcc|sw\.coursework\.\w+ \(the reference implementations and checkers\) is not allowed while grading exercise|loading \S+ \(import the library)/;
    for (const s of ['b-computed-names', 'c-renamed-import', 'd-deep-paths']) {
      const g = byStudent(grades, s);
      assert.equal(g.score, 0, `${s}: ${JSON.stringify(g.exercises)}`);
      for (const e of g.exercises) assert.match(e.feedback, refused, `${s} / ${e.id}`);
    }
    assert.match(ex(byStudent(grades, 'b-computed-names'), 'mcc').feedback, /calling sw\.mcc is not allowed in exercise mcc: compute the correlations/);
    assert.match(ex(byStudent(grades, 'c-renamed-import'), 'mcc').feedback, /calling sw\.mcc is not allowed/);

    const e = byStudent(grades, 'e-other-processes');
    assert.equal(e.score, 0);
    assert.match(ex(e, 'soft-threshold').feedback, /ERR_ACCESS_DENIED|Access to this API has been restricted/);
    const eOut = fs.readFileSync(path.join(outDir, fs.readdirSync(outDir).find((d) => d.includes('e-other'))!, 'grader', 'output-ista-step.txt'), 'utf8');
    assert.match(eOut, /IMPORT:(?!yes)\S+.* WORKER:(?!yes)/);

    const f = byStudent(grades, 'f-peer-reader');
    const fOut = fs.readFileSync(path.join(outDir, fs.readdirSync(outDir).find((d) => d.includes('f-peer'))!, 'grader', 'output-soft-threshold.txt'), 'utf8');
    assert.match(fOut, /PEER-FILES:0\b/, 'a later submission read an earlier one\'s files');
    assert.equal(ex(f, 'soft-threshold').passed, false);

    assert.match(ex(byStudent(grades, 'g-deep-result'), 'mcc').feedback, /nested more than 64 levels deep/);

    // Nothing of a submission is left: no harness (student code), cases, work folders or notebook copies;
    // what remains is the grader's, unreadable by others.
    const left = walk(outDir);
    assert.deepEqual(left.filter((p) => /^(harness-|cases-|work$|cw_sparse\.ipynb$)/.test(path.basename(p))), []);
    for (const p of left) {
      const st = fs.lstatSync(p);
      assert.equal(st.uid, 0, `${p} is not the grader's`);
      assert.equal(st.mode & (st.isDirectory() ? 0o066 : 0o077), 0, `${p} has mode ${(st.mode & 0o777).toString(8)}`);
    }
  } finally {
    fs.rmSync(subs, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('the headless run of honest work that saves results and figures reports ok (it writes into its own work folder)', { skip: !isRoot }, async () => {
  const subs = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-run-'));
  fs.chmodSync(subs, 0o700);
  const scratch = path.join(root, 'build', 'grading', `security-run-${process.pid}-${Date.now()}`);
  const nb = readNotebook(FIXTURE);
  nb.cells.push({
    cell_type: 'code', metadata: {}, outputs: [], execution_count: null,
    source: `import * as fs from 'fs';\nimport * as path from 'path';\nfor (const d of [sw.resultsDir(), sw.figuresDir()]) { fs.mkdirSync(d, { recursive: true }); fs.writeFileSync(path.join(d, 'saved.txt'), 'ok'); }\n`,
  } as unknown as Notebook['cells'][number]);
  writeNotebook(path.join(subs, 'hana', 'cw_sparse.ipynb'), nb);
  try {
    const { grades } = await gradeSubmissions([subs], { root, solutions: [SOLUTIONS], outDir: scratch, timeoutSeconds: 20, notebookTimeoutSeconds: 240, seed: 2 });
    const g = byStudent(grades, 'hana');
    // Before: the kernel's results and figures folders were the project's, not writable by the sandbox uid.
    assert.equal(g.run?.status, 'ok', JSON.stringify(g.run));
    assert.equal(g.score, 7);
    assert.ok(!fs.existsSync(path.join(root, 'build', 'results', 'saved.txt')) || fs.statSync(path.join(root, 'build', 'results', 'saved.txt')).uid === 0);
  } finally {
    fs.rmSync(subs, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
