import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/*
 * The function's bundle compiled with a V8 code cache, made at package time by SCF's own Node
 * (scripts/build/code-cache.ts), so that a new instance deserializes the bundle's functions
 * instead of parsing and compiling them. V8 accepts a cache only from its own version and flags,
 * but checks no more of the source than its length: a cache must never meet a bundle other than
 * the one it was made from, so the cache file starts with that bundle's SHA-256.
 */

/** The bundle beside index.js (the loader), and its code cache. */
export const BUNDLE_FILE = 'function.js';
export const CACHE_FILE = 'function.cache';
/** The compactor's bundle beside them, which only `index.compact_handler` loads (src/compact/index.ts). */
export const COMPACT_FILE = 'compact.js';

/** What became of the cache at load: used; refused (by V8, or made from another bundle); not shipped. */
export type CodeCacheUse = 'accepted' | 'rejected' | 'absent';

const HASH_BYTES = 32;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();

/** The cache file's contents: the bundle's hash, then V8's data. */
export const cacheFile = (bundle: Uint8Array, data: Uint8Array) => Buffer.concat([sha256(bundle), data]);

/** V8's data from the cache file, if the file is there and was made from this bundle. */
function readCache(dir: string, bundle: Buffer): { use: CodeCacheUse; data?: Buffer } {
  let file: Buffer;
  try {
    file = readFileSync(join(dir, CACHE_FILE));
  } catch {
    return { use: 'absent' };
  }
  if (!sha256(bundle).equals(file.subarray(0, HASH_BYTES))) return { use: 'rejected' };
  return { use: 'accepted', data: file.subarray(HASH_BYTES) };
}

/**
 * V8 flags the function sets for its cold start, before its bundle is compiled. A cold start runs
 * most of its code a few times, and V8 would compile some of it to machine code anyway: Sparkplug's
 * baseline code, and each regular expression after its first run. Each such write to the code
 * space costs two mprotect calls, about a hundred on the first event, a third of its system
 * time. A regular expression still compiles at once for a long text. Node takes no V8 flag from
 * NODE_OPTIONS but its memory limits, and V8 accepts a code cache only under the flags it was
 * made with, so the cache maker's compileBundle sets them too.
 */
export const V8_FLAGS = ['--no-sparkplug', '--regexp-tier-up-ticks=20'];

/**
 * Sparkplug again once the cold start is over (the loader calls this after the first
 * invocation): a warm instance runs the same code thousands of times, and without baseline code
 * it took about 3% more instructions per event. The cache has been read by then.
 */
export const endColdStart = () => setFlagsFromString('--sparkplug');

export interface Compiled {
  script: Script;
  /** Runs the bundle's top level, as Node's own loader would, and returns its exports. */
  run: () => Record<string, unknown>;
}

/**
 * Node's own wrapper of a CommonJS file, which the build writes around the bundle (bundle.ts):
 * Node's `module`, which has it, is not otherwise loaded.
 */
export const CJS_WRAPPER = { open: '(function (exports, require, module, __filename, __dirname) {', close: '});' };

/**
 * The bundle, written wrapped (CJS_WRAPPER) and in ASCII, compiled as Node compiles a CommonJS
 * file, with V8's cached data when given. Read as Latin-1, a plain copy of its bytes, it is
 * compiled as it is: decoding it as UTF-8 and wrapping it here took two copies of a third of a
 * megabyte more, and with them a collection of the young generation, on every cold start.
 * `require` is that of a module in `dir` (the loader's own), so that the bundle's relative
 * requires resolve from its folder.
 */
export function compileBundle(dir: string, source: Buffer, require: NodeJS.Require, cachedData?: Buffer): Compiled {
  for (const flag of V8_FLAGS) setFlagsFromString(flag);
  const filename = join(dir, BUNDLE_FILE);
  // Named without its folder: the cache holds the name, and the folder it is made in is not SCF's.
  const script = new Script(source.toString('latin1'), { filename: BUNDLE_FILE, ...(cachedData && { cachedData }) });
  return {
    script,
    run() {
      const module = { exports: {} as Record<string, unknown> };
      script.runInThisContext()(module.exports, require, module, filename, dir);
      return module.exports;
    },
  };
}

export interface Loaded {
  exports: Record<string, unknown>;
  codeCache: CodeCacheUse;
  /** From reading the files to the end of the bundle's top level. */
  loadMs: number;
}

/** Loads the bundle in `dir` with its code cache when V8 takes it, and without it otherwise. */
export function loadBundle(dir: string, require: NodeJS.Require): Loaded {
  const started = performance.now();
  const source = readFileSync(join(dir, BUNDLE_FILE));
  const cache = readCache(dir, source);
  const compiled = compileBundle(dir, source, require, cache.data);
  const codeCache = compiled.script.cachedDataRejected ? 'rejected' : cache.use;
  const exports = compiled.run();
  return { exports, codeCache, loadMs: performance.now() - started };
}
