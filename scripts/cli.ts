import { parseArgs, type ParseArgsConfig } from 'node:util';

/*
 * The command line of the project's npm scripts, alike for all: --help and -h print the usage;
 * an unknown option or an impossible value is refused, named, with exit code 2.
 */

/** A command line that cannot be right; its message names the option or value. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed arguments, or undefined when the usage was asked for (and printed). */
export function commandLine<O extends Options>(argv: string[], usage: string, options: O) {
  const help = { help: { type: 'boolean', short: 'h' } } as const;
  try {
    const parsed = parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: O & typeof help }>({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...options, ...help },
    });
    if ((parsed.values as { help?: boolean }).help) {
      process.stdout.write(`${usage}\n`);
      return undefined;
    }
    return parsed;
  } catch (error) {
    // node:util's messages name the option: "Unknown option '--x'", "Option '--from <value>' argument missing".
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
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

/** Runs a command's main and exits with its code: 2 for a usage error, 1 for any other failure. */
export function run(main: (argv: string[]) => Promise<number | void>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      const usage = error instanceof UsageError;
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}${usage ? ' (--help shows the usage)' : ''}\n`);
      process.exit(usage ? 2 : 1);
    },
  );
}
