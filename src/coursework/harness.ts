/**
 * The program the grader runs in a sandboxed process for one exercise: the notebook's imports, the
 * student's exercise cells (up to and including this one), then a loop calling the student's function on
 * the grader's cases and writing each result as one JSON line. Results are plain JSON (NaN/∞, typed arrays,
 * matrices and tensors marked) and are normalised and compared with the references by the grader, in its
 * own process — nothing the submission prints or computes about the references is trusted.
 */
import path from 'node:path';
import ts from 'typescript';
import { ForbiddenExport, Outcome } from './exercise';
import { MAX_JSON_DEPTH, UntrustedDataError, parseJsonBounded } from './untrusted';
import { toValue } from './values';

/** What the exercise process may use of the library while grading one exercise. */
export interface LibraryGuard {
  /** Exercise id (named in the messages of the disabled functions). */
  exerciseId: string;
  /** Exports replaced by functions that throw (see `forbiddenExports` in exercise.ts). */
  forbidden: ForbiddenExport[];
  /** The project root (real path): the library is `<root>/dist`, packages `<root>/node_modules`. */
  root: string;
}

/**
 * The grader's part of the exercise process, run before any student code. It loads the library, then makes
 * the library the student's code can reach one without answers:
 * - `sw.coursework` becomes a stub: `check` does nothing, `solved(f, …)` returns `f`, anything else (the
 *   reference implementations, the checkers) throws;
 * - the exercise's forbidden exports throw, in the package's entry and in every loaded module of `dist/`
 *   (so deep paths and `require.cache` give the same guarded objects), which are frozen copies;
 * - loading any other file of the library (or of the project, or a file the student wrote) is refused at
 *   `Module.prototype.load`, which every CommonJS load passes through, and `import()` is unavailable in the
 *   student's code (compiled with vm.compileFunction and no dynamic-import callback). The permission model
 *   of the process (no child processes, no workers, reads limited to the library and packages) closes the
 *   routes around it.
 * The names `$$…` are the grader's; the student's code runs in its own function and cannot see them.
 */
function guardSource(g: LibraryGuard): string {
  const cfg = { id: g.exerciseId, forbidden: g.forbidden, dist: path.join(g.root, 'dist'), modules: path.join(g.root, 'node_modules') };
  return `const $$guard = ((cfg) => {
  const Module = require('module'), path = require('path');
  const inside = (f, d) => typeof f === 'string' && (f === d || f.startsWith(d + path.sep));
  class ForbiddenCallError extends Error { constructor(m) { super(m); this.name = 'ForbiddenCallError'; } }
  const refuse = (what) => new ForbiddenCallError(what + ' is not allowed while grading exercise ' + cfg.id);
  const main = path.join(cfg.dist, 'index.js');
  const raw = require(main);
  const stubs = new Map();
  for (const f of cfg.forbidden) {
    const fn = raw[f.name];
    if (typeof fn !== 'function') continue;
    stubs.set(fn, Object.freeze(function () { throw new ForbiddenCallError('calling sw.' + f.name + ' is not allowed in exercise ' + cfg.id + ': ' + f.message); }));
  }
  const notChecked = Object.freeze(function check(id) { return { id: String(id), passed: false, feedback: 'not checked while grading', casesPassed: 0, cases: 0, seed: 0 }; });
  const solved = Object.freeze(function solved(student) { return student; });
  const coursework = new Proxy(Object.freeze(Object.create(null)), {
    get(t, k) {
      if (typeof k === 'symbol' || k === 'then') return undefined;
      if (k === '__esModule') return true;
      if (k === 'check') return notChecked;
      if (k === 'solved') return solved;
      if (k === 'NOT_IMPLEMENTED') return 'not implemented yet';
      throw refuse('sw.coursework.' + k + ' (the reference implementations and checkers)');
    },
  });
  const copies = new Map([[raw.coursework, coursework]]);
  const plain = (v) => v !== null && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
  const guard = (obj, depth) => {
    if (copies.has(obj)) return copies.get(obj);
    const out = {};
    copies.set(obj, out);
    for (const k of Object.keys(obj)) {
      let v;
      try { v = obj[k]; } catch (e) { continue; }
      if (stubs.has(v)) v = stubs.get(v);
      else if (copies.has(v)) v = copies.get(v);
      else if (plain(v) && depth < 4) v = guard(v, depth + 1);
      Object.defineProperty(out, k, { value: v, enumerable: true });
    }
    if (obj.__esModule) Object.defineProperty(out, '__esModule', { value: true });
    return Object.freeze(out);
  };
  for (const [file, m] of Object.entries(require.cache)) {
    if (!inside(file, cfg.dist)) continue;
    m.exports = inside(file, path.join(cfg.dist, 'coursework')) ? coursework : guard(m.exports, 0);
  }
  const lib = require.cache[main].exports;
  const load = Module._load, protoLoad = Module.prototype.load;
  const lock = (o, k, value) => Object.defineProperty(o, k, { value, writable: false, configurable: false });
  lock(Module, '_load', function (request, parent, isMain) {
    if (request === 'superposition-workbook') return lib;
    return load.call(this, request, parent, isMain);
  });
  lock(Module.prototype, 'load', function (filename) {
    if (!inside(filename, cfg.modules)) throw refuse('loading ' + filename + " (import the library as 'superposition-workbook' and packages by name)");
    return protoLoad.call(this, filename);
  });
  lock(Module, 'register', function () { throw refuse('registering module hooks'); });
  return { lib };
})(${JSON.stringify(cfg)});
`;
}

/** The JavaScript of the harness, or the student's syntax errors. */
export function buildHarness(opts: {
  imports: string[]; cells: string[]; functionName: string; params: string[]; casesFile: string; resultFile: string;
  /** Restrictions on the library (omit to give the student's code the whole library, e.g. in tests of the harness itself). */
  guard?: LibraryGuard;
}): { js: string } | { error: string } {
  const source = `${opts.imports.join('\n')}\n${opts.cells.join('\n;\n')}\n`;
  const out = ts.transpileModule(source, {
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true, sourceMap: false },
  });
  const diags = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (diags.length) {
    const d = diags[0];
    let where = '';
    if (d.file && d.start !== undefined) {
      const lc = d.file.getLineAndCharacterOfPosition(d.start);
      where = ` (at: ${source.split('\n')[lc.line].trim().slice(0, 120)})`;
    }
    return { error: `your code does not compile: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}${where}` };
  }
  const name = opts.functionName;
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`bad function name ${name}`);
  // The student's code: its own function (no access to the grader's variables), import() unavailable.
  const student = `return (async () => {\n${out.outputText}\n;return (typeof ${name} === 'function') ? ${name} : undefined;\n})();`;
  const js = `'use strict';
${opts.guard ? guardSource(opts.guard) : ''}
const __g = { fs: require('fs'), vm: require('vm'), stringify: JSON.stringify, parse: JSON.parse, exit: process.exit.bind(process),
  result: ${JSON.stringify(opts.resultFile)}, params: ${JSON.stringify(opts.params)} };
__g.cases = __g.parse(__g.fs.readFileSync(${JSON.stringify(opts.casesFile)}, 'utf8'));
// exit once everything printed has reached the pipe (process.exit alone drops pending pipe writes)
__g.done = () => { try { process.stdout.write('', () => process.stderr.write('', () => __g.exit(0))); } catch (e) { __g.exit(0); } };
__g.write = (o) => __g.fs.appendFileSync(__g.result, __g.stringify(o) + '\\n');
__g.plain = (x, depth) => {
  if (depth > 6) throw new Error('result nested too deeply');
  if (typeof x === 'number') return Number.isFinite(x) ? x : { $n: String(x) };
  if (typeof x === 'boolean' || typeof x === 'string' || x === null) return x;
  if (x === undefined) return { $u: 1 };
  if (typeof x === 'bigint') return Number(x);
  if (ArrayBuffer.isView(x)) return { $ta: Array.from(x, (v) => __g.plain(Number(v), depth + 1)) };
  if (Array.isArray(x)) return x.map((v) => __g.plain(v, depth + 1));
  if (typeof x === 'object') {
    if (Array.isArray(x.shape) && typeof x.dataSync === 'function') return { $tensor: { shape: x.shape.slice(), data: Array.from(x.dataSync(), (v) => __g.plain(Number(v), depth + 1)) } };
    const o = {};
    for (const k of Object.keys(x)) if (typeof x[k] !== 'function') o[k] = __g.plain(x[k], depth + 1);
    return { $obj: o };
  }
  return { $other: typeof x };
};
__g.student = __g.vm.compileFunction(${JSON.stringify(student)}, ['require', 'module', 'exports', '__filename', '__dirname'],
  { filename: 'exercise.js', importModuleDynamically: () => { throw new Error('import() is not available while grading; use import statements at the top of the cell'); } });
__g.module = { exports: {} };
__g.student(require, __g.module, __g.module.exports, 'exercise.js', process.cwd()).then((fn) => {
  if (!fn) { __g.write({ fatal: { name: 'ReferenceError', message: 'function ${name} is not defined in the exercise cell (keep its name as given)' } }); return __g.done(); }
  for (const c of __g.cases) {
    const args = __g.parse(__g.stringify(c.args));
    const before = args.map((a) => __g.stringify(a));
    try {
      const r = fn(...args);
      if (r !== null && typeof r === 'object' && typeof r.then === 'function') {
        __g.write({ error: { name: 'AsyncError', message: 'your function returned a Promise; exercise functions must be synchronous (remove async/await)' } });
        continue;
      }
      const mutated = __g.params.filter((_, i) => __g.stringify(args[i]) !== before[i]);
      __g.write({ value: __g.plain(r, 0), mutated });
    } catch (e) {
      __g.write({ error: { name: String((e && e.name) || 'Error'), message: String((e && e.message !== undefined) ? e.message : e) } });
    }
  }
  __g.done();
}, (e) => {
  __g.write({ fatal: { name: String((e && e.name) || 'Error'), message: String((e && e.message !== undefined) ? e.message : e) } });
  __g.done();
});
`;
  return { js };
}

/** Turn a harness JSON result back into the input of {@link toValue}. */
function revive(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(revive);
  if (x === null || typeof x !== 'object') return x;
  const o = x as Record<string, unknown>;
  if ('$n' in o) return Number(o.$n);
  if ('$u' in o) return undefined;
  if ('$ta' in o) return Float64Array.from((o.$ta as unknown[]).map((v) => Number(revive(v))));
  if ('$tensor' in o) {
    const t = o.$tensor as { shape: number[]; data: unknown[] };
    const data = Float64Array.from(t.data.map((v) => Number(revive(v))));
    return { shape: t.shape, dataSync: () => data };
  }
  if ('$obj' in o) return Object.fromEntries(Object.entries(o.$obj as Record<string, unknown>).map(([k, v]) => [k, revive(v)]));
  if ('$other' in o) return Symbol(String(o.$other));
  throw new Error('malformed result');
}

/** What the harness reported: per-case outcomes, or a failure before the first case. */
export interface HarnessReport {
  outcomes: Outcome[];
  fatal?: { name: string; message: string };
}

/** Parse the harness's result lines (untrusted text). */
export function parseHarnessResult(text: string | null): HarnessReport {
  const outcomes: Outcome[] = [];
  if (!text) return { outcomes };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let o: { value?: unknown; mutated?: unknown; error?: { name?: unknown; message?: unknown }; fatal?: { name?: unknown; message?: unknown } };
    try {
      o = parseJsonBounded(line, { what: 'a result line of your exercise process', maxDepth: MAX_JSON_DEPTH }) as typeof o;
    } catch (e) {
      if (e instanceof UntrustedDataError && /nested/.test(e.message)) { outcomes.push({ ok: false, error: { name: 'ResultError', message: e.message } }); continue; }
      break;
    }
    if (o === null || typeof o !== 'object') break;
    const err = (e: { name?: unknown; message?: unknown }) => ({ name: String(e.name ?? 'Error').slice(0, 100), message: String(e.message ?? '').slice(0, 2000) });
    if (o.fatal) return { outcomes, fatal: err(o.fatal) };
    if (o.error) { outcomes.push({ ok: false, error: err(o.error) }); continue; }
    try {
      const mutated = Array.isArray(o.mutated) ? o.mutated.map(String).slice(0, 10) : [];
      outcomes.push({ ok: true, value: toValue(revive(o.value)), mutated: mutated.length ? mutated : undefined });
    } catch (e) {
      outcomes.push({ ok: false, error: { name: 'ResultError', message: (e as Error).message } });
    }
  }
  return { outcomes };
}
