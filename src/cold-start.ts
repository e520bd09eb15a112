import type { CodeCacheUse } from './code-cache';

/** How the instance's code was loaded, as the loader (loader.ts) measured it. */
export interface Load {
  loadMs: number;
  codeCache: CodeCacheUse;
}

export type ColdStartReport = (load: Load) => void;

/**
 * Hands the loader's report to the first invocation of the instance, once, so that its log shows
 * what the cold start cost. Without the loader (the source run directly) there is none to show.
 */
export function createColdStart(): { report: ColdStartReport; take: () => Load | undefined } {
  let load: Load | undefined;
  return {
    report: (loaded) => {
      load = loaded;
    },
    take: () => {
      const taken = load;
      load = undefined;
      return taken;
    },
  };
}
