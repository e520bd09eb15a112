import { endColdStart, loadBundle } from './code-cache';
import type { ColdStartReport } from './cold-start';

/*
 * index.js of the zip, what SCF loads: the function itself is function.js beside it, loaded with
 * its code cache (code-cache.ts). The bundle's reportLoad passes how it went to the first
 * invocation, which logs it. Once that invocation is done, V8 is set for a warm instance.
 */
const { exports, codeCache, loadMs } = loadBundle(__dirname, require);
(exports.reportLoad as ColdStartReport)({ loadMs, codeCache });

const handler = exports.main_handler as (event: unknown, context: unknown) => Promise<unknown>;
let cold = true;

export async function main_handler(event: unknown, context: unknown): Promise<unknown> {
  try {
    return await handler(event, context);
  } finally {
    if (cold) {
      cold = false;
      endColdStart();
    }
  }
}
