/** Run a CLI sub-command's `run(argv)` in-process and capture what it prints (for the CLI tests). */
export async function captureCli(run: (argv: string[]) => Promise<number>, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const log = console.log, error = console.error;
  let out = '', err = '';
  console.log = (...a: unknown[]) => { out += a.join(' ') + '\n'; };
  console.error = (...a: unknown[]) => { err += a.join(' ') + '\n'; };
  try { return { code: await run(argv), out, err }; } finally { console.log = log; console.error = error; }
}
