/**
 * A small, strict argument parser shared by the sub-commands: `--name value`, `--name=value`, boolean
 * `--flag`, positionals. Unknown options and missing values are errors with a message naming them.
 */

/** Declaration of one option: its kind, an optional default and a help line. */
export interface OptionSpec {
  type: 'string' | 'number' | 'boolean';
  help: string;
  default?: string | number | boolean;
  required?: boolean;
}

/** Parsed options (by name, without dashes) and positionals. */
export interface ParsedArgs {
  options: Record<string, string | number | boolean | undefined>;
  positionals: string[];
}

/** A usage error: the CLI prints it with the command's help and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parse `argv` against `spec`; throws {@link UsageError} on anything unexpected. */
export function parseArgs(argv: string[], spec: Record<string, OptionSpec>): ParsedArgs {
  const options: ParsedArgs['options'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) { positionals.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option --${name}; options: ${Object.keys(spec).map((k) => `--${k}`).join(' ')}`);
    let raw: string | undefined = eq < 0 ? undefined : a.slice(eq + 1);
    if (s.type === 'boolean') {
      options[name] = raw === undefined ? true : !/^(0|false|no)$/i.test(raw);
      continue;
    }
    if (raw === undefined) {
      raw = argv[++i];
      if (raw === undefined) throw new UsageError(`option --${name} needs a value`);
    }
    if (s.type === 'number') {
      const v = Number(raw);
      if (!Number.isFinite(v)) throw new UsageError(`option --${name} needs a number, got '${raw}'`);
      options[name] = v;
    } else {
      options[name] = raw;
    }
  }
  for (const [k, s] of Object.entries(spec)) {
    if (options[k] === undefined && s.default !== undefined) options[k] = s.default;
    if (options[k] === undefined && s.required) throw new UsageError(`option --${k} is required (${s.help})`);
  }
  return { options, positionals };
}

/** Help text listing the options of a command. */
export function helpText(usage: string, spec: Record<string, OptionSpec>): string {
  const lines = Object.entries(spec).map(([k, s]) => {
    const left = `--${k}${s.type === 'boolean' ? '' : ` <${s.type === 'number' ? 'n' : 'value'}>`}`;
    const def = s.default !== undefined ? ` (default ${s.default})` : s.required ? ' (required)' : '';
    return `  ${left.padEnd(26)} ${s.help}${def}`;
  });
  return `usage: ${usage}\n${lines.join('\n')}`;
}

/**
 * The common front of a sub-command: `--help` prints the help (exit 0); otherwise parse `argv` against `spec`
 * and run `validate` (which throws {@link UsageError} for bad combinations). A usage error prints
 * "superposition <command>: <message>" and the help to stderr and yields exit code 2.
 * @returns the parsed arguments, or the exit code to return at once.
 */
export function parseCommandLine(command: string, usage: string, spec: Record<string, OptionSpec>, argv: string[],
  validate?: (parsed: ParsedArgs) => void): ParsedArgs | number {
  if (argv.includes('--help') || argv.includes('-h')) { console.log(helpText(usage, spec)); return 0; }
  try {
    const parsed = parseArgs(argv, spec);
    validate?.(parsed);
    return parsed;
  } catch (e) {
    if (e instanceof UsageError) { console.error(`superposition ${command}: ${e.message}\n\n${helpText(usage, spec)}`); return 2; }
    throw e;
  }
}
