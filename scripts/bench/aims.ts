import { coldRow, type ColdInvocation } from './cold-invocation';
import type { E2eRow, EventInstructions } from './e2e';
import { pairedRatios, spread, type Spread } from './stats';
import type { Variant } from './variants';

/*
 * The aims: each the function's cost as a ratio to the naive handler's, measured side by side in
 * one run, at the condition SCF runs an event function (one event at a time per instance, billed
 * memory × duration). Where a time can be flipped by a shared machine's noise, the same ratio in
 * instructions stands beside it.
 */

export type Aim = 'cold' | 'cpu' | 'billed';

/** COS latency of the billed-duration aim: a round trip to COS within a region, about. */
export const BILLED_LATENCY_MS = 20;

export const AIMS: Record<Aim, { name: string; target: number }> = {
  cold: { name: 'cold invocation: load + first event (section 3)', target: 0.4 },
  cpu: { name: 'CPU per event, concurrency 1, 0 ms COS latency (section 2)', target: 1.3 },
  billed: { name: `billed duration (wall time) per event, concurrency 1, ${BILLED_LATENCY_MS} ms COS latency (section 2)`, target: 1 },
};

export interface AimResult {
  aim: Aim;
  time: Spread;
  instructions?: Spread;
}

/** What the aims are measured from. */
export interface AimInputs {
  e2e: E2eRow[];
  eventInstructions: EventInstructions[];
  cold: ColdInvocation[];
}

export const meets = (aim: Aim, ratio: number) => ratio <= AIMS[aim].target;

const e2eRow = (rows: E2eRow[], variant: Variant, latencyMs: number) => {
  const row = rows.find((r) => r.variant === variant && r.latencyMs === latencyMs);
  if (!row) throw new Error(`no end-to-end run of ${variant} at ${latencyMs} ms`);
  return row;
};

const perEvent = (rows: EventInstructions[], variant: Variant) => {
  const row = rows.find((r) => r.variant === variant);
  if (!row) throw new Error(`no instruction count of ${variant}`);
  return row.perEventByRound;
};

/** The cold invocation's ratio: run by run in time, in instructions when counted. */
export function coldAim(cold: ColdInvocation[]): AimResult {
  const [ours, theirs] = [coldRow(cold, 'function'), coldRow(cold, 'naive')];
  return {
    aim: 'cold',
    time: spread(pairedRatios(ours.totalsMs, theirs.totalsMs)),
    ...(ours.instructions !== undefined && theirs.instructions !== undefined && { instructions: spread([ours.instructions / theirs.instructions]) }),
  };
}

/** The ratio of each aim, in the order of AIMS. */
export function aimResults({ e2e, eventInstructions, cold }: AimInputs): AimResult[] {
  const byRound = (latencyMs: number, of: (row: E2eRow) => number[]) => spread(pairedRatios(of(e2eRow(e2e, 'function', latencyMs)), of(e2eRow(e2e, 'naive', latencyMs))));
  return [
    coldAim(cold),
    { aim: 'cpu', time: byRound(0, (r) => r.cpuMsByRound), instructions: spread(pairedRatios(perEvent(eventInstructions, 'function'), perEvent(eventInstructions, 'naive'))) },
    { aim: 'billed', time: byRound(BILLED_LATENCY_MS, (r) => r.wallMsByRound) },
  ];
}
