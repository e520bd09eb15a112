import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import type { Config, Credentials } from '../../src/config';
import type { Forwarder } from '../../src/forward/scf';
import { createHandler } from '../../src/handler';
import { dayKeys } from '../../src/keys';
import { cosArchive, type Archive } from '../../src/store/archive';
import { createCosStore } from '../../src/store/cos';
import type { ObjectStore } from '../../src/store/store';
import { randomKeys } from '../../scripts/local-cos/keys';
import { LOCAL_BUCKET, LOCAL_REGION } from '../../scripts/local-cos/local-setup';
import { startLocalCos, type LocalCos, type LocalCosOptions } from '../../scripts/local-cos/server';
import { captureLogs, config as baseConfig } from './doubles';
import { normalizedRecord } from './fixtures';

export interface LocalWorld {
  cos: LocalCos;
  config: Config;
  credentials: Credentials;
  /** Every body the handler handed to the store, by key: what it built. */
  built: Map<string, Buffer>;
  handler: ReturnType<typeof createHandler>;
  logs: ReturnType<typeof captureLogs>;
  /** Reads an object back through the real COS SDK. */
  getObject(key: string): Promise<Buffer>;
  /** Stores an object through the real COS SDK, as something other than the handler wrote it. */
  putObject(key: string, body: Buffer): Promise<void>;
  listKeys(prefix: string): Promise<string[]>;
  /** The archive as the project's tools read it, with the world's keys. */
  archive: Archive;
  close(): Promise<void>;
}

/**
 * The real handler, the real COS SDK and real HTTP, against the local emulator on an ephemeral
 * port with its own temporary folder and keys. `credentials` can be overridden to sign wrongly.
 */
export async function startLocalWorld(
  options: {
    config?: Partial<Config>;
    credentials?: Partial<Credentials>;
    forwarder?: Forwarder;
    now?: () => number;
    cos?: Pick<LocalCosOptions, 'clockOffsetMs'>;
  } = {},
): Promise<LocalWorld> {
  const root = await mkdtemp(join(tmpdir(), 'local-cos-'));
  const keys = randomKeys();
  const cos = await startLocalCos({ root, keys, buckets: [LOCAL_BUCKET], ...options.cos });
  const host = cos.endpoint.replace('http://', '');
  const config: Config = {
    ...baseConfig,
    bucket: LOCAL_BUCKET,
    region: LOCAL_REGION,
    endpoint: { protocol: 'http:', host },
    ...options.config,
  };
  const credentials: Credentials = { secretId: keys.secretId, secretKey: keys.secretKey, sessionToken: undefined, ...options.credentials };
  const real = createCosStore(config, { credentials: () => credentials });
  const built = new Map<string, Buffer>();
  const store: ObjectStore = {
    put(object, putOptions) {
      built.set(object.key, object.body);
      return real.put(object, putOptions);
    },
  };
  const logs = captureLogs();
  const reader = new COS({ SecretId: keys.secretId, SecretKey: keys.secretKey, Ip: host, Protocol: 'http:', Timeout: 5_000 });
  const bucket = { Bucket: LOCAL_BUCKET, Region: LOCAL_REGION };
  return {
    cos,
    config,
    credentials,
    built,
    logs,
    handler: createHandler({ config, store, logger: logs.logger, forwarder: options.forwarder, ...(options.now && { now: options.now }) }),
    getObject: async (key) => (await reader.getObject({ ...bucket, Key: key })).Body as Buffer,
    async putObject(key, body) {
      await reader.putObject({ ...bucket, Key: key, Body: body });
    },
    archive: cosArchive(config, credentials),
    async listKeys(prefix) {
      const keys: string[] = [];
      let marker = '';
      for (;;) {
        const page = await reader.getBucket({ ...bucket, Prefix: prefix, Marker: marker });
        keys.push(...page.Contents.map((c) => c.Key));
        if (page.IsTruncated !== 'true' || !page.NextMarker) return keys;
        marker = page.NextMarker;
      }
    },
    async close() {
      await cos.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * Every object of the local COS written `ms` earlier than it was, as COS lists it and as its
 * file's time says: an archive written long before it is compacted.
 */
export async function ageObjects(world: LocalWorld, ms: number): Promise<void> {
  const bucketDir = join(world.cos.root, world.config.bucket);
  const metaDir = join(world.cos.root, '.meta', world.config.bucket);
  for (const entry of await readdir(bucketDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const metaPath = join(metaDir, relative(bucketDir, path)) + '.json';
    const meta = JSON.parse(await readFile(metaPath, 'utf8')) as { lastModified: string };
    const time = new Date(Date.parse(meta.lastModified) - ms);
    await writeFile(metaPath, JSON.stringify({ ...meta, lastModified: time.toUTCString() }));
    await utimes(path, time, time);
  }
}

/**
 * `count` normalized WorkflowTask records of one day in a local COS, stored as the function
 * stores them (its COS store, the real SDK): a day for the compactor once it has closed.
 */
export async function storeDay(cos: Pick<LocalCos, 'endpoint'>, credentials: Credentials, day: string, count: number): Promise<void> {
  const config = { ...baseConfig, bucket: LOCAL_BUCKET, region: LOCAL_REGION, endpoint: { protocol: 'http:' as const, host: cos.endpoint.replace('http://', '') } };
  const store = createCosStore(config, { credentials: () => credentials });
  const folder = dayKeys(config.prefix, 'WorkflowTask', day).normalized;
  for (let i = 0; i < count; i++) {
    const body = Buffer.from(`${JSON.stringify({ ...normalizedRecord(undefined, new Date(`${day}T10:00:00Z`)), event_id: `${day}-${i}` })}\n`);
    await store.put({ key: `${folder}hour=10/${day}-${i}.json`, body, md5: createHash('md5').update(body).digest('base64') }, { deadline: Date.now() + 30_000 });
  }
}
