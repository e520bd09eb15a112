import { getHeapStatistics } from 'node:v8';
import type { CodeCacheUse } from './code-cache';

/** How the instance's code was loaded, as the loader (loader.ts) measured it. */
export interface Load {
  loadMs: number;
  codeCache: CodeCacheUse;
}

export type ColdStartReport = (load: Load) => void;

/** The load, and the heap limit in force: it shows whether the runtime honoured NODE_OPTIONS. */
export type ColdStart = Load & { heapLimitMb: number };

/**
 * Hands the loader's report to the first invocation of the instance, once, so that its log shows
 * what the cold start cost. Without the loader (the source run directly) there is none to show.
 */
export function createColdStart(): { report: ColdStartReport; take: () => ColdStart | undefined } {
  let load: Load | undefined;
  return {
    report: (loaded) => {
      load = loaded;
    },
    take: () => {
      if (!load) return undefined;
      const taken = { ...load, heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20) };
      load = undefined;
      return taken;
    },
  };
}
