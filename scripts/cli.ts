import { parseArgs, type ParseArgsConfig } from 'node:util';

/*
 * The command line of the project's npm scripts, alike for all: --help and -h print the usage;
 * an unknown option or an impossible value is refused in one line that names it, with exit code 2.
 */

/** A command line that cannot be right; its message names the option or value. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * What is wrong with the options given, in the project's words: node:util's own messages run to
 * three lines of advice on positional arguments, and name a short option (-x) as if it were long.
 */
function misuse(argv: string[], options: Options): string | undefined {
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const type = options[token.name]?.type;
    if (!type) return `Unknown option ${token.rawName}`;
    if (type === 'boolean' && token.value !== undefined) return `${token.rawName} takes no value`;
    if (type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) {
      return `${token.rawName} needs a value`;
    }
  }
  return undefined;
}

/** The parsed arguments, or undefined when the usage was asked for (and printed). */
export function commandLine<O extends Options>(argv: string[], usage: string, options: O) {
  const all = { ...options, help: { type: 'boolean', short: 'h' } } as const;
  const wrong = misuse(argv, all);
  if (wrong) throw new UsageError(wrong);
  const parsed = parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: typeof all }>({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: all,
  });
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    return undefined;
  }
  return parsed;
}

/** A YYYY-MM-DD that is a day of the calendar, or a UsageError naming the option. */
function day(option: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) {
    throw new UsageError(`--${option} ${value} is not a day (YYYY-MM-DD)`);
  }
  return value;
}

/** --from and --to, checked to be days in that order. */
export function dayRange(values: { from?: string | undefined; to?: string | undefined }): { from?: string; to?: string } {
  const from = day('from', values.from);
  const to = day('to', values.to);
  if (from && to && from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  return { ...(from && { from }), ...(to && { to }) };
}

/** A bar on stderr, redrawn in place: for terminals only (stderr.isTTY). */
export function progressBar(done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / Math.max(total, 1)) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
}

/**
 * Resolves once everything written to the stream has been handed to the system, or the stream
 * failed (its reader went away: EPIPE), which then ends the wait and not the process.
 */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    stream.once('error', () => resolve());
    // Writes complete in order: this one's callback comes after every earlier one's.
    stream.write('', () => resolve());
  });
}

/**
 * Runs a command's main and exits with its code: 2 for a usage error, 1 for any other failure.
 * It exits only once stdout and stderr are flushed: on POSIX a write to a pipe is asynchronous,
 * and process.exit() drops what a slow reader has not taken yet. It does exit then, so that a
 * server or a timer a command leaves behind does not keep it running.
 */
export function run(main: (argv: string[]) => Promise<number | void>): void {
  void main(process.argv.slice(2))
    .then(
      (code) => code ?? 0,
      (error: unknown) => {
        const usage = error instanceof UsageError;
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}${usage ? ' (--help shows the usage)' : ''}\n`);
        return usage ? 2 : 1;
      },
    )
    .then(async (code) => {
      await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
      process.exit(code);
    });
}
