import * as z from '../zod';
import { InvalidEventError, type ValidationIssue } from '../errors';
import { EVENT_TYPE_NAME, EVENT_TYPES, MpsEventSchema, TASK_FIELDS, undocumentedBody, undocumentedEventSchema, type ParsedEvent } from './schema';

/** Builds a schema the first time it is asked for. */
const once = <T>(make: () => T): (() => T) => {
  let made: T | undefined;
  return () => (made ??= make());
};

const undocumented = once(undocumentedEventSchema);

/**
 * Checked in order when the payload is not a valid event; the first that fails names the error
 * type, which becomes the `error_type=` partition of the error record, so that each kind of bad
 * input is found apart. Built at the first rejected payload, which most instances never see:
 * built at load, they were a millisecond of every cold start.
 */
const STAGES: [kind: string, schema: () => z.ZodMiniType, message: string][] = [
  ['not_an_object', once(() => z.looseObject({})), 'The payload is not a JSON object'],
  [
    'missing_event_type',
    once(() => z.looseObject({ EventType: z.string().check(z.minLength(1)) })),
    'The payload has no EventType string',
  ],
  [
    'unsupported_event_type',
    once(() => z.looseObject({ EventType: z.union([z.enum(EVENT_TYPES), z.string().check(z.regex(EVENT_TYPE_NAME))]) })),
    `EventType is neither one MPS documents (${EVENT_TYPES.join(', ')}) nor a name an event type of MPS can have`,
  ],
  [
    'missing_task',
    once(() =>
      z.discriminatedUnion(
        'EventType',
        EVENT_TYPES.map((type) => z.looseObject({ EventType: z.literal(type), [TASK_FIELDS[type]]: z.looseObject({}) })) as unknown as [z.ZodMiniObject, ...z.ZodMiniObject[]],
      ),
    ),
    `The task body (${Object.values(TASK_FIELDS).join(', ')}, as EventType says) is missing or not an object`,
  ],
];

/** Every kind of payload that is not a valid event, as parseEvent names it. */
export const INVALID_EVENT_KINDS = [...STAGES.map(([kind]) => kind), 'invalid_task'];

function toIssues(error: z.core.$ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
    code: issue.code,
    message: issue.message,
  }));
}

function invalid(kind: string, message: string, error: z.core.$ZodError): InvalidEventError {
  const issues = toIssues(error);
  const detail = issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
  return new InvalidEventError(kind, `${message}: ${detail}`, issues);
}

/**
 * Returns the event, or throws InvalidEventError naming what is wrong with it. An EventType no
 * model documents is an event all the same, archived with what can be read of it: MPS adds types
 * before its models name them, and a backup must not turn them away.
 */
export function parseEvent(payload: unknown): ParsedEvent {
  const body = undocumentedBody(payload);
  if (body !== undefined) {
    const { EventType, SessionId, SessionContext, [body]: Task } = payload as Record<string, unknown>;
    return { documented: false, event: undocumented().parse({ EventType, Task, SessionId, SessionContext }) };
  }
  const result = MpsEventSchema.safeParse(payload);
  if (result.success) return { documented: true, event: result.data };
  // Only a rejected payload pays for finding out which kind of bad it is.
  for (const [kind, schema, message] of STAGES) {
    const stage = schema().safeParse(payload);
    if (!stage.success) throw invalid(kind, message, stage.error);
  }
  throw invalid('invalid_task', 'The task body is not a valid MPS task', result.error);
}
