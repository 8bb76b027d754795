/**
 * `superposition autograder --out autograder.zip [--solutions DIR] [--timeout S]`: build a Gradescope autograder
 * (setup.sh, run_autograder, the compiled library and the solution notebooks) for the exercises of the solution
 * notebooks; upload the zip as a Gradescope "Programming Assignment" autograder.
 */
import path from 'node:path';
import { autograderEntries, solutionSummaries } from '../coursework';
import { writeFileAtomic } from '../io/files';
import { zipArchive } from '../io/zip';
import { OptionSpec, parseCommandLine, UsageError } from './args';
import { projectRoot } from './paths';

export const summary = 'build a Gradescope autograder zip (setup.sh, run_autograder) for the exercises';

const SPEC: Record<string, OptionSpec> = {
  out: { type: 'string', help: 'the zip to write', default: 'autograder.zip' },
  solutions: { type: 'string', help: 'solution notebook or folder giving the exercises and points (default notebooks/)' },
  timeout: { type: 'number', help: 'seconds allowed per exercise check', default: 20, above: 0, max: 86400 },
  help: { type: 'boolean', help: 'show this help' },
};

export async function run(argv: string[]): Promise<number> {
  const usage = 'superposition autograder [--out autograder.zip] [--solutions DIR] [--timeout S]';
  const parsed = parseCommandLine('autograder', usage, SPEC, argv, (p) => {
    if (p.positionals.length) throw new UsageError(`unexpected argument '${p.positionals[0]}' (the solutions are given with --solutions)`);
  }, { positionals: true });
  if (typeof parsed === 'number') return parsed; // help (0) or a usage error (2): nothing was done
  const { options } = parsed;
  const root = projectRoot();
  const solutions = options.solutions ? [path.resolve(String(options.solutions))] : undefined;
  const out = path.resolve(String(options.out));
  const entries = autograderEntries({ root, solutions, timeoutSeconds: Number(options.timeout) });
  writeFileAtomic(out, zipArchive(entries));
  const sums = solutionSummaries(solutions ?? [path.join(root, 'notebooks')]);
  const points = sums.reduce((s, n) => s + n.exercises.reduce((t, e) => t + e.points, 0), 0);
  console.log(`${path.relative(process.cwd(), out) || out}: ${sums.length} notebook(s), ${sums.reduce((s, n) => s + n.exercises.length, 0)} exercises, ${points} points ` +
    `(${sums.map((n) => n.notebook).join(', ')}). On Gradescope: a Programming Assignment worth ${points} points, "Configure Autograder", upload this zip (Ubuntu base image).`);
  return 0;
}
