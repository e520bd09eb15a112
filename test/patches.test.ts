import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import PublishedCos from 'cos-nodejs-sdk-v5-published';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT } from '../scripts/build/bundle';
import { randomKeys } from '../scripts/local-cos/keys';
import { LOCAL_BUCKET, LOCAL_REGION } from '../scripts/local-cos/local-setup';
import { startLocalCos, type LocalCos } from '../scripts/local-cos/server';

/*
 * patches/, as npm ci applies it: the packages it edits pinned to the versions it was made for,
 * and the SDK as the tests and the function load it, held against the same version as published.
 */

const PATCHES = join(PROJECT, 'patches');
/** Each patch's package, version and text, from its file name (patch-package's): name+version.patch. */
const patches = readdirSync(PATCHES)
  .filter((file) => file.endsWith('.patch'))
  .map((file) => {
    const [, name, version] = /^(.+)\+([^+]+)\.patch$/.exec(file)!;
    return { name: name!, version: version!, text: readFileSync(join(PATCHES, file), 'utf8') };
  });
const manifest = JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };
const installedVersion = (name: string) => (JSON.parse(readFileSync(join(PROJECT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

describe('patches/', () => {
  it('are applied by every install, which fails when one does not apply', () => {
    expect(manifest.scripts.postinstall).toBe('patch-package --error-on-fail');
    expect(patches.map((p) => p.name)).toEqual(['cos-nodejs-sdk-v5']);
  });

  it('are each made for the version that package.json pins exactly and npm installed; zod is pinned too, as src/zod.ts reads its internals', () => {
    for (const { name, version } of patches) {
      expect(manifest.dependencies[name]).toBe(version);
      expect(installedVersion(name)).toBe(version);
    }
    expect(manifest.dependencies.zod).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installedVersion('zod')).toBe(manifest.dependencies.zod);
  });

  it("leave the naive handler's copy of the SDK, the same version, as published", () => {
    expect(manifest.devDependencies['cos-nodejs-sdk-v5-published']).toBe(`npm:cos-nodejs-sdk-v5@${manifest.dependencies['cos-nodejs-sdk-v5']}`);
  });

  it('say, in each edit, why it was made and for which version', () => {
    for (const { name, version, text } of patches) {
      const hunks = text.split(/^@@ /m).slice(1);
      expect(hunks.length).toBeGreaterThan(0);
      for (const hunk of hunks) expect(hunk).toMatch(new RegExp(`^\\+ *// mps-cos-backup, for ${name} ${version.replaceAll('.', '\\.')}: \\S`, 'm'));
    }
  });
});

let cos: LocalCos;
const keys = randomKeys();
const SDKS = { patched: COS, published: PublishedCos as unknown as typeof COS };
const client = (sdk: keyof typeof SDKS) =>
  new SDKS[sdk]({ SecretId: keys.secretId, SecretKey: keys.secretKey, Ip: cos.endpoint.replace('http://', ''), Protocol: 'http:' });
const object = (key: string) => ({ Bucket: LOCAL_BUCKET, Region: LOCAL_REGION, Key: key });
const put = (sdk: keyof typeof SDKS, key: string) =>
  client(sdk).putObject({ ...object(key), Body: Buffer.from('{}'), ContentLength: 2, SkipTask: true } as COS.PutObjectParams);
/** The statuses COS gave the requests for `key`, in order. */
const answered = (key: string) => cos.requests.filter((r) => r.key.endsWith(key)).map((r) => r.status);

/** What the COS SDKs (and their HTTP client) throw while `run` runs, caught or not, as the debugger sees it. */
async function thrownInSdk(run: () => Promise<unknown>): Promise<string[]> {
  const session = new Session();
  const thrown: string[] = [];
  session.connect();
  session.on('Debugger.paused', ({ params }) => {
    // The exception's message, then where it was thrown.
    const [message, where] = String((params.data as { description?: string } | undefined)?.description).split('\n');
    if (where?.includes('/node_modules/cos-')) thrown.push(`${message} ${where.trim()}`);
    session.post('Debugger.resume');
  });
  session.post('Debugger.enable');
  session.post('Debugger.setPauseOnExceptions', { state: 'all' });
  try {
    await run();
  } finally {
    session.disconnect();
  }
  return thrown;
}

describe('the COS SDK as patched', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patches-'));
    cos = await startLocalCos({ root: dir, keys, buckets: [LOCAL_BUCKET] });
  });
  afterEach(() => cos.clearFaults());
  afterAll(async () => {
    await cos.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends a PutObject that COS answers with a 500 once, leaving its retries to the store; as published, four times at once', async () => {
    cos.inject({ kind: 'status', status: 500, code: 'InternalError' }, { keyIncludes: 'failing-' });
    await expect(put('patched', 'failing-patched.json')).rejects.toMatchObject({ statusCode: 500, code: 'InternalError' });
    await expect(put('published', 'failing-published.json')).rejects.toMatchObject({ statusCode: 500, code: 'InternalError' });
    expect(answered('failing-patched.json')).toEqual([500]);
    expect(answered('failing-published.json')).toEqual([500, 500, 500, 500]);
  });

  it("keeps the SDK's retries of its other calls", async () => {
    await put('patched', 'read-back.json');
    cos.inject({ kind: 'status', status: 500, code: 'InternalError' }, { keyIncludes: 'read-back', method: 'GET', times: 1 });
    const read = await client('patched').getObject(object('read-back.json'));
    expect(read.Body.toString()).toBe('{}');
    expect(answered('read-back.json')).toEqual([200, 500, 200]);
  });

  it('throws nothing in a successful PUT; as published, a TypeError in getRetryInfo', async () => {
    expect(await thrownInSdk(() => put('patched', 'ok-patched.json'))).toEqual([]);
    expect(await thrownInSdk(() => put('published', 'ok-published.json'))).toEqual([
      expect.stringMatching(/^TypeError: Cannot read properties of null \(reading 'error'\) at COS\.getRetryInfo \(.*\/node_modules\/cos-nodejs-sdk-v5-published\/sdk\/base\.js:/),
    ]);
    expect(answered('ok-patched.json')).toEqual([200]);
  });
});
