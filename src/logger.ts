import pino from 'pino';
import { maskText } from './mask/text';

export type Logger = pino.Logger;

/**
 * The longest text a log line keeps of one value, and of its message. Values come from events
 * (a TaskId can be megabytes) and from errors, and CLS cuts or refuses long lines.
 */
export const MAX_LOGGED_VALUE = 1_024;
export const MAX_LOGGED_MESSAGE = 4_096;

/**
 * Masked by the rules that mask events, then cut: an error's message can quote what it was
 * given. Masked before it is cut, so that no cut leaves half a credential the rules miss.
 */
function cut(text: string, max: number): string {
  const masked = maskText(text);
  return masked.length <= max ? masked : `${masked.slice(0, max)}…(${masked.length - max} more characters)`;
}

/** Strings masked and cut to size, also those in a list (the keys of a failed write). */
function bounded(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    out[name] =
      typeof value === 'string'
        ? cut(value, MAX_LOGGED_VALUE)
        : Array.isArray(value)
          ? value.map((v: unknown) => (typeof v === 'string' ? cut(v, MAX_LOGGED_VALUE) : v))
          : value;
  }
  return out;
}

/**
 * JSON lines on stdout, written synchronously: SCF freezes the instance as soon as the handler
 * returns, and a buffered line could be lost with it. Events and credentials are never logged,
 * only the fields that each log call names, each masked and bounded in length.
 */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination({ dest: 1, sync: true })): Logger {
  return pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: bounded },
      hooks: {
        logMethod(args, method) {
          const last = args.length - 1;
          if (typeof args[last] === 'string') args[last] = cut(args[last] as string, MAX_LOGGED_MESSAGE);
          method.apply(this, args);
        },
      },
    },
    destination,
  );
}

/** The invocation's logger: every line carries these fields, bounded like any other (pino does not format a child's bindings). */
export function childLogger(logger: Logger, bindings: Record<string, unknown>): Logger {
  return logger.child(bounded(bindings));
}
