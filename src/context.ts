import * as z from './zod';

/** The fields of SCF's `context` argument that the function uses; anything else is ignored. */
const ContextSchema = z.object({
  request_id: z.catch(z.optional(z.string().check(z.minLength(1))), undefined),
  function_name: z.catch(z.optional(z.string().check(z.minLength(1))), undefined),
  time_limit_in_ms: z.catch(z.optional(z.number().check(z.positive())), undefined),
  // Never set by SCF: `npm run replay` passes it, with the event's first receipt when known.
  replay_of: z.catch(z.optional(z.object({ received_at: z.optional(z.iso.datetime()) })), undefined),
});

/** SCF's default function timeout, assumed when the context does not say. */
const DEFAULT_TIME_LIMIT_MS = 3_000;

export interface Invocation {
  requestId: string;
  functionName: string;
  receivedAt: Date;
  /** When the event was replayed, for a replay; receivedAt is then its first receipt. */
  replayedAt?: Date;
  /** Epoch ms by which the work must be done, leaving time to log and return before SCF's timeout. */
  deadline: number;
}

/**
 * What is left of the invocation as the runtime counts it, where the context can say: it knows
 * how long the instance took to start, which time_limit_in_ms does not.
 */
function remainingMs(context: unknown): number | undefined {
  const fn = (context as { getRemainingTimeInMillis?: unknown } | null)?.getRemainingTimeInMillis;
  if (typeof fn !== 'function') return undefined;
  try {
    const ms = fn.call(context);
    return typeof ms === 'number' && ms > 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}

export function readInvocation(context: unknown, startedAt: number, fallbackFunctionName: string | undefined): Invocation {
  const parsed = ContextSchema.safeParse(context ?? {});
  const ctx = parsed.success ? parsed.data : {};
  const remaining = remainingMs(context);
  const limit = Math.min(ctx.time_limit_in_ms ?? remaining ?? DEFAULT_TIME_LIMIT_MS, remaining ?? Infinity);
  const reserve = Math.min(1_000, Math.max(100, limit * 0.1));
  return {
    requestId: ctx.request_id ?? 'unknown',
    functionName: ctx.function_name ?? fallbackFunctionName ?? 'unknown',
    receivedAt: new Date(ctx.replay_of?.received_at ?? startedAt),
    ...(ctx.replay_of && { replayedAt: new Date(startedAt) }),
    deadline: startedAt + limit - reserve,
  };
}
