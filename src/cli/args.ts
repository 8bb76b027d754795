/**
 * A small, strict argument parser shared by the sub-commands: `--name value`, `--name=value`, boolean
 * `--flag` / `--flag=true|false`, positionals. Unknown options, missing or empty values, numbers that are not
 * plain decimals, numbers outside an option's range or not integers where one is needed, and booleans other
 * than true/false/yes/no/1/0 are errors with a message naming the option.
 */

/** Declaration of one option: its kind, an optional default and a help line. */
export interface OptionSpec {
  type: 'string' | 'number' | 'boolean';
  help: string;
  default?: string | number | boolean;
  required?: boolean;
  /** Numbers: must be an integer. */
  integer?: boolean;
  /** Numbers: smallest allowed value (inclusive). */
  min?: number;
  /** Numbers: the value must be strictly greater than this. */
  above?: number;
  /** Numbers: largest allowed value (inclusive). */
  max?: number;
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

/** A plain decimal number: optional sign, digits with an optional fraction, optional exponent (no hex, no blanks). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** The range an option's number must lie in, as words for messages and help ('an integer ≥ 1'). */
export function rangeText(s: OptionSpec): string {
  const parts: string[] = [];
  if (s.min !== undefined) parts.push(`≥ ${s.min}`);
  if (s.above !== undefined) parts.push(`> ${s.above}`);
  if (s.max !== undefined) parts.push(`≤ ${s.max}`);
  return `${s.integer ? 'an integer' : 'a number'}${parts.length ? ` ${parts.join(' and ')}` : ''}`;
}

/** Parse one number option's text; throws {@link UsageError} naming the option and its allowed range. */
function parseNumber(name: string, raw: string, s: OptionSpec): number {
  const v = Number(raw);
  const ok = DECIMAL.test(raw) && Number.isFinite(v) && (!s.integer || Number.isSafeInteger(v)) &&
    (s.min === undefined || v >= s.min) && (s.above === undefined || v > s.above) && (s.max === undefined || v <= s.max);
  if (!ok) throw new UsageError(`option --${name} needs ${rangeText(s)}, got '${raw}'`);
  return v;
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
    if (options[name] !== undefined) throw new UsageError(`option --${name} is given twice; give it once`);
    let raw: string | undefined = eq < 0 ? undefined : a.slice(eq + 1);
    if (s.type === 'boolean') {
      if (raw === undefined || /^(1|true|yes)$/i.test(raw)) options[name] = true;
      else if (/^(0|false|no)$/i.test(raw)) options[name] = false;
      else throw new UsageError(`option --${name} is a flag: give --${name} alone or --${name}=true|false, got '${raw}'`);
      continue;
    }
    if (raw === undefined) {
      raw = argv[++i];
      if (raw === undefined) throw new UsageError(`option --${name} needs a value`);
      if (raw.startsWith('--')) throw new UsageError(`option --${name} needs a value, but the next argument is the option ${raw}`);
    }
    if (raw === '') throw new UsageError(`option --${name} needs a value, got an empty one`);
    options[name] = s.type === 'number' ? parseNumber(name, raw, s) : raw;
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
    const range = s.type === 'number' && (s.integer || s.min !== undefined || s.above !== undefined || s.max !== undefined) ? `; ${rangeText(s)}` : '';
    const def = s.default !== undefined ? ` (default ${s.default}${range})` : s.required ? ` (required${range})` : range ? ` (${range.slice(2)})` : '';
    return `  ${left.padEnd(26)} ${s.help}${def}`;
  });
  return `usage: ${usage}\n${lines.join('\n')}`;
}

/**
 * The common front of a sub-command: `--help` prints the help (exit 0); otherwise parse `argv` against `spec`
 * and run `validate` (which throws {@link UsageError} for bad combinations). A usage error prints
 * "superposition <command>: <message>" and the help to stderr and yields exit code 2. Positional arguments
 * are refused unless `opts.positionals` is true.
 * @returns the parsed arguments, or the exit code to return at once.
 */
export function parseCommandLine(command: string, usage: string, spec: Record<string, OptionSpec>, argv: string[],
  validate?: (parsed: ParsedArgs) => void, opts: { positionals?: boolean } = {}): ParsedArgs | number {
  if (argv.includes('--help') || argv.includes('-h')) { console.log(helpText(usage, spec)); return 0; }
  try {
    const parsed = parseArgs(argv, spec);
    if (!opts.positionals && parsed.positionals.length) {
      const p = parsed.positionals[0];
      throw new UsageError(`unexpected argument '${p}'${p.startsWith('-') ? ' (options start with --)' : ' (every value belongs to an option, e.g. --input FILE)'}`);
    }
    validate?.(parsed);
    return parsed;
  } catch (e) {
    if (e instanceof UsageError) { console.error(`superposition ${command}: ${e.message}\n\n${helpText(usage, spec)}`); return 2; }
    throw e;
  }
}
