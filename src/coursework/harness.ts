/**
 * The program the grader runs in a sandboxed process for one exercise: the notebook's imports, the
 * student's exercise cells (up to and including this one), then a loop calling the student's function on
 * the grader's cases and writing each result as one JSON line. Results are plain JSON (NaN/∞, typed arrays,
 * matrices and tensors marked) and are normalised and compared with the references by the grader, in its
 * own process — nothing the submission prints or computes about the references is trusted.
 */
import ts from 'typescript';
import { Outcome } from './exercise';
import { toValue } from './values';

/** The JavaScript of the harness, or the student's syntax errors. */
export function buildHarness(opts: { imports: string[]; cells: string[]; functionName: string; params: string[]; casesFile: string; resultFile: string }):
  { js: string } | { error: string } {
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
  const js = `'use strict';
const __g = { fs: require('fs'), stringify: JSON.stringify, parse: JSON.parse, exit: process.exit.bind(process),
  cases: ${JSON.stringify(opts.casesFile)}, result: ${JSON.stringify(opts.resultFile)}, params: ${JSON.stringify(opts.params)} };
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
(async () => {
${out.outputText}
;__g.fn = (typeof ${name} === 'function') ? ${name} : undefined;
})().then(() => {
  if (!__g.fn) { __g.write({ fatal: { name: 'ReferenceError', message: 'function ${name} is not defined in the exercise cell (keep its name as given)' } }); return __g.done(); }
  const cases = __g.parse(__g.fs.readFileSync(__g.cases, 'utf8'));
  for (const c of cases) {
    const args = __g.parse(__g.stringify(c.args));
    const before = args.map((a) => __g.stringify(a));
    try {
      const r = __g.fn(...args);
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
    try { o = JSON.parse(line); } catch { break; }
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
