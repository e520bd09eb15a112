import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Config } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
import { StorageError } from '../../src/errors';
import type { Archive, ListedObject } from '../../src/store/archive';
import type { ObjectStore, PutOptions, StoredObject } from '../../src/store/store';

export const config: Config = {
  bucket: 'archive-1250000000',
  region: 'ap-guangzhou',
  prefix: 'mps-events',
  endpoint: undefined,
  storageClass: 'STANDARD',
  encryption: { algorithm: 'AES256' },
  timeoutMs: 5_000,
  timeZone: 'UTC',
  logLevel: 'debug',
  functionName: 'mps-cos-backup',
  forwardTo: [],
  functionRegion: 'ap-guangzhou',
  scfEndpoint: undefined,
};

export const context = {
  request_id: 'req-0001',
  function_name: 'mps-cos-backup',
  time_limit_in_ms: 30_000,
  memory_limit_in_mb: 128,
  namespace: 'default',
};

/** A logger whose JSON lines are kept for the test to read. */
export function captureLogs(): { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const text = () => chunks.join('');
  return {
    logger: createLogger('debug', sink),
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** An object store in memory that records every put; `fail` decides per key whether to reject. */
export function memoryStore(fail?: (object: StoredObject) => Error | undefined): ObjectStore & {
  objects: Map<string, Buffer>;
  calls: { object: StoredObject; options: PutOptions }[];
} {
  const objects = new Map<string, Buffer>();
  const calls: { object: StoredObject; options: PutOptions }[] = [];
  return {
    objects,
    calls,
    async put(object, options) {
      calls.push({ object, options });
      const error = fail?.(object);
      if (error) throw error;
      objects.set(object.key, object.body);
    },
  };
}

/**
 * A bucket in memory, as the compactor's archive and store: every object written at `now()`
 * (or at the time `written` is given), every get and put recorded.
 */
export function memoryBucket(now = () => Date.parse('2026-12-07T01:30:00Z')) {
  const objects = new Map<string, { body: Buffer; lastModified: string }>();
  const gets: string[] = [];
  const puts: StoredObject[] = [];
  const bucket = {
    objects,
    gets,
    puts,
    written(key: string, body: string | Buffer, at = now()) {
      objects.set(key, { body: Buffer.from(body), lastModified: new Date(at).toISOString() });
    },
    body: (key: string) => objects.get(key)?.body,
    async list(prefix: string): Promise<ListedObject[]> {
      return [...objects]
        .filter(([key]) => key.startsWith(prefix))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, o]) => ({ key, etag: createHash('md5').update(o.body).digest('hex'), size: o.body.length, lastModified: o.lastModified }));
    },
    async folders(prefix: string): Promise<string[]> {
      const below = [...objects.keys()].filter((k) => k.startsWith(prefix) && k.indexOf('/', prefix.length) > 0);
      return [...new Set(below.map((k) => k.slice(0, k.indexOf('/', prefix.length) + 1)))].sort();
    },
    async get(key: string): Promise<Buffer> {
      gets.push(key);
      const found = objects.get(key);
      if (!found) throw new StorageError(`No ${key}`, { key, retryable: false, code: 'NoSuchKey', statusCode: 404 });
      return found.body;
    },
    async remove(key: string): Promise<void> {
      objects.delete(key);
    },
    async put(object: StoredObject): Promise<void> {
      puts.push(object);
      bucket.written(object.key, object.body);
    },
  };
  return bucket satisfies Archive & ObjectStore;
}
