import type { JsonVisitor } from '../json-scan';
import { TASK_FIELDS } from './schema';

/*
 * The head of an event too large to parse safely (src/oversize.ts), read from the tokens of its
 * text as scanJson reports them: what the archive cannot do without, and the few fields beside
 * them that cost nothing to read.
 */

/** Read at the top level. */
const TOP = new Set(['EventType', 'SessionId', 'SessionContext']);
/** The task bodies of the documented types, at the top level, and what is read in them. */
const DOCUMENTED_BODIES: ReadonlySet<string> = new Set(Object.values(TASK_FIELDS));
const TASK = new Set(['TaskId', 'Status', 'ErrCode', 'ErrCodeExt', 'Message']);

/** A value that is not read: one of the same type, which is all validation asks of it. */
const stand = (c: string | undefined) => (c === '{' ? {} : c === '[' ? [] : c === '"' ? '' : c === 't' ? true : c === 'f' ? false : c === 'n' ? null : 0);

/** Where a field read lies in the text, unchanged by masking: decoded once the scan is done, and only the last time it is given. */
class Token {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}
}

type Fields = Map<string, unknown>;

/**
 * The event as JSON.parse would give it (a name given twice counts the last time), cut to
 * EventType, SessionId, SessionContext and the TaskId, Status, ErrCode, ErrCodeExt and Message of
 * each task body in `bodies` (those of the documented types, unless said);
 * a string, or an object masked whole, as masking gave it, `masked(start)` for the token that
 * starts there, when masking changed it (as the text is scanned, and so not masked twice). An
 * object or array in their place, or a top level that is not an object, is read as an empty one,
 * or a value of its type: validation reads no more of it.
 */
export function eventHead(
  json: string,
  masked: (start: number) => string | undefined,
  bodies = DOCUMENTED_BODIES,
): { visitor: JsonVisitor; head(): unknown } {
  let top: unknown;
  const fields: Fields = new Map();
  // The field whose value is being read at the top level, and in the task body being read.
  let name: string | undefined;
  let body: Fields | undefined;
  let bodyAt = 0;
  let taskName: string | undefined;

  const decodeKey = (start: number, end: number): string => {
    const text = json.slice(start, end);
    return text.includes('\\') ? (JSON.parse(text) as string) : text.slice(1, -1);
  };
  /** Where a value at `depth` goes, if it is read. */
  const place = (depth: number): [Fields, string] | undefined => {
    if (depth === 1 && name !== undefined) return [fields, name];
    if (depth === 2 && body !== undefined && taskName !== undefined) return [body, taskName];
    return undefined;
  };

  const visitor: JsonVisitor = {
    open(at, depth) {
      if (depth === 0) top = json[at] === '{' ? fields : [];
      const to = place(depth);
      if (to === undefined) return;
      if (depth === 1 && bodies.has(to[1]) && json[at] === '{') {
        body = new Map();
        bodyAt = at;
        taskName = undefined;
        fields.set(to[1], body);
      } else {
        to[0].set(to[1], stand(json[at]));
      }
    },
    close(_at, depth) {
      if (depth !== 1) return;
      // A body under a secret name (an undocumented type's `TokenEvent`) is masked whole.
      const whole = body === undefined ? undefined : masked(bodyAt);
      if (whole !== undefined) fields.set(name!, whole);
      body = undefined;
    },
    key(start, end, depth) {
      if (depth === 1) {
        const key = decodeKey(start, end);
        name = TOP.has(key) || bodies.has(key) ? key : undefined;
      } else if (depth === 2 && body !== undefined) {
        const key = decodeKey(start, end);
        taskName = TASK.has(key) ? key : undefined;
      }
    },
    scalar(start, end, depth) {
      if (depth === 0) top = stand(json[start]);
      const to = place(depth);
      if (to) to[0].set(to[1], masked(start) ?? new Token(start, end));
    },
  };

  const value = (field: unknown): unknown => {
    if (field instanceof Map) return Object.fromEntries(Array.from(field as Fields, ([k, v]) => [k, value(v)]));
    if (!(field instanceof Token)) return field;
    return JSON.parse(json.slice(field.start, field.end));
  };
  return { visitor, head: () => value(top) };
}
