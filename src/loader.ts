import { join } from 'node:path';
import { COMPACT_FILE, endColdStart, loadBundle } from './code-cache';
import type { ColdStartReport } from './cold-start';

/*
 * index.js of the zip, what SCF loads: the function itself is function.js beside it, loaded with
 * its code cache (code-cache.ts). The bundle's reportLoad passes how it went to the first
 * invocation, which logs it. Once that invocation is done, V8 is set for a warm instance.
 */

// The COS SDK's HTTP client (cos-request) and the tunnel-agent it proxies with read NODE_DEBUG
// once, as they load: with `request` or `tunnel` in it, they print every request's options to
// the logs, its Authorization (q-ak, the signature) and x-cos-security-token with them. Node read
// NODE_DEBUG for its own modules when it started, so only they see this.
if (process.env.NODE_DEBUG) process.env.NODE_DEBUG = process.env.NODE_DEBUG.replace(/\b(?:request|tunnel)\b/g, '');

const { exports, codeCache, loadMs } = loadBundle(__dirname, require);
(exports.reportLoad as ColdStartReport)({ loadMs, codeCache });

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
const handler = exports.main_handler as Handler;
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

let compact: Handler | undefined;

/**
 * The compactor, deployed as a second function from the same zip: its bundle, with the Parquet
 * writer, is required at its first run, so that the archiving function never reads it.
 */
export async function compact_handler(event: unknown, context: unknown): Promise<unknown> {
  compact ??= (require(join(__dirname, COMPACT_FILE)) as { compact_handler: Handler }).compact_handler;
  return compact(event, context);
}
