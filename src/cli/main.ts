#!/usr/bin/env node
/**
 * `superposition` — the workbook's command line. One sub-command per file in this folder; each exports
 * `run(argv: string[]): Promise<number>` (the exit code) and `summary` (one line for the help).
 */

interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** Sub-commands, loaded lazily so that `superposition --help` is instant. */
const COMMANDS: Record<string, () => Command> = {
  workbook: () => require('./workbook'),
  lab: () => require('./lab'),
  exercises: () => require('./exercises'),
  grade: () => require('./grade'),
  autograder: () => require('./autograder'),
  encode: () => require('./encode'),
  figures: () => require('./figures'),
  metrics: () => require('./metrics'),
  learn: () => require('./learn'),
  analyze: () => require('./analyze'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
    console.log(`usage: superposition <command> [options]   (superposition <command> --help for its options)\n`);
    for (const [k, load] of Object.entries(COMMANDS)) console.log(`  ${k.padEnd(width)}  ${load().summary}`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`superposition: unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}`);
    return 2;
  }
  return load().run(rest);
}

// Past a file-size limit (ulimit -f) a write fails with EFBIG, which the atomic writers report naming the file,
// instead of the signal killing the process half-way.
process.on('SIGXFSZ', () => { /* the failing write reports it */ });

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    // Errors at the boundary are meant for users: print the message, not a stack (unless debugging).
    const e = err instanceof Error ? err : new Error(String(err));
    const command = process.argv[2] && process.argv[2] in COMMANDS ? ` ${process.argv[2]}` : '';
    const kind = e.name === 'Error' || e.name === 'CommandFailure' ? '' : `${e.name}: `;
    console.error(`superposition${command}: ${kind}${e.message}`);
    if (process.env.WORKBOOK_DEBUG) console.error(e.stack);
    process.exitCode = 1;
  },
);

