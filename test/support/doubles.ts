import { Writable } from 'node:stream';
import type { Config } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
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
