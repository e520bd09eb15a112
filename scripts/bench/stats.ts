/* The few statistics the benchmarks report: a shared machine's noise is in every series. */

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** A series summed up: its median, which a slow spell of the machine moves least, and its range. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export const spread = (xs: number[]): Spread => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

/**
 * Ours against theirs, pair by pair: measured in turns, a slow spell of the machine falls on both
 * of a pair alike.
 */
export function pairedRatios(ours: number[], theirs: number[]): number[] {
  if (ours.length !== theirs.length) throw new Error(`${ours.length} measurements against ${theirs.length}: they do not pair`);
  return ours.map((x, i) => x / theirs[i]!);
}
