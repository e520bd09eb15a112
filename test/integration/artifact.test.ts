import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT, SCF_SDK_FILE } from '../../scripts/build/bundle';
import { shippedNodeOptions } from '../../scripts/build/code-cache';
import { randomKeys } from '../../scripts/local-cos/keys';
import { LOCAL_BUCKET, LOCAL_REGION } from '../../scripts/local-cos/local-setup';
import { startLocalCos, type LocalCos } from '../../scripts/local-cos/server';
import { startLocalScf } from '../../scripts/local-scf/server';
import { listenOnLoopback } from '../../scripts/loopback';
import { SCF_NODE } from '../../scripts/scf-node';
import { BUNDLE_FILE, CACHE_FILE, COMPACT_FILE } from '../../src/code-cache';
import { ManifestSchema } from '../../src/compact/manifest';
import { dayKeys } from '../../src/keys';
import { maskSecrets } from '../../src/mask/payload';
import { ErrorRecordSchema, NormalizedRecordSchema } from '../../src/record';
import { FIXTURES, fixture, fixtureNames, normalizedRecord } from '../support/fixtures';
import { packaged, unpackedFunction } from '../support/packaged-function';

/*
 * The shipped artifact, as SCF runs it: the zip unpacked into an empty folder (no node_modules
 * anywhere above it), index.js required by a fresh process of SCF's Node (18.15) with the
 * NODE_OPTIONS serverless.yml sets, main_handler called with each event, against the local COS
 * over HTTP. Anything the bundle needs that esbuild missed, a stub that a used code path reaches,
 * a package that needs a newer Node, or a code cache that V8 refuses fails here.
 */

const run = promisify(execFile);

/** Runs in the unpacked folder: calls main_handler for each file, writes what came back. */
const DRIVER = `
const fs = require('node:fs');
const [files, out] = [JSON.parse(process.argv[1]), process.argv[2]];
const { main_handler } = require('./index.js');
(async () => {
  const results = [];
  for (const file of files) {
    const context = { request_id: 'smoke-' + results.length, function_name: 'mps-cos-backup', time_limit_in_ms: 5000 };
    try {
      results.push({ file, summary: await main_handler(JSON.parse(fs.readFileSync(file, 'utf8')), context) });
    } catch (e) {
      results.push({ file, error: { name: e.name, message: e.message, code: e.code, retryable: e.retryable } });
    }
  }
  const loaded = Object.keys(require.cache).map((p) => require('node:path').basename(p));
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
  fs.writeFileSync(out, JSON.stringify({ results, loaded, builtins }));
})();
`;

interface Result {
  file: string;
  summary?: { result: string; objects?: Record<'raw' | 'normalized', { key: string; bytes: number }>; error_key?: string; error_type?: string };
  error?: { name: string; message: string; code?: string; retryable?: boolean };
}

describe('the packaged function, loaded as SCF loads it', () => {
  let dir: string;
  let unpacked: string;
  let cos: LocalCos;
  let keys: ReturnType<typeof randomKeys>;
  let zip: Awaited<ReturnType<typeof packaged>>;
  let zipEntries: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'artifact-'));
    ({ zip, unpacked, entries: zipEntries } = await unpackedFunction(dir));
    keys = randomKeys();
    cos = await startLocalCos({ root: join(dir, 'cos'), keys, buckets: [LOCAL_BUCKET] });
  });
  afterAll(async () => {
    await cos.close();
    await rm(dir, { recursive: true, force: true });
  });

  interface Invoked {
    results: Result[];
    loaded: string[];
    /** Node's own modules loaded by the end. */
    builtins: string[];
    logs: Record<string, unknown>[];
    stderr: string;
  }

  async function invoke(files: string[], env: Record<string, string> = {}, options: { node?: string; folder?: string } = {}): Promise<Invoked> {
    const out = join(dir, `results-${Date.now()}.json`);
    const { stdout, stderr } = await run(options.node ?? SCF_NODE, ['-e', DRIVER, JSON.stringify(files.map((f) => join(FIXTURES, f))), out], {
      cwd: options.folder ?? unpacked,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_OPTIONS: shippedNodeOptions(),
        COS_BUCKET: LOCAL_BUCKET,
        COS_REGION: LOCAL_REGION,
        COS_ENDPOINT: cos.endpoint,
        COS_TIMEOUT_MS: '1000',
        TENCENTCLOUD_SECRETID: keys.secretId,
        TENCENTCLOUD_SECRETKEY: keys.secretKey,
        ...env,
      },
    });
    const logs = stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    return { ...(JSON.parse(await readFile(out, 'utf8')) as Omit<Invoked, 'logs' | 'stderr'>), logs, stderr };
  }

  const stored = (key: string) => readFile(join(cos.root, LOCAL_BUCKET, key));

  /** The unpacked function copied, then changed by `change`, to run apart. */
  async function variant(name: string, change: (folder: string) => Promise<void>): Promise<string> {
    const folder = join(dir, name);
    await cp(unpacked, folder, { recursive: true });
    await change(folder);
    return folder;
  }

  const coldStartLine = (logs: Record<string, unknown>[]) => logs.filter((l) => l.cold_start === true);
  const archivedOne = (invoked: Invoked) => {
    expect(invoked.results.map((r) => r.summary?.result)).toEqual(['archived']);
    expect(invoked.logs.at(-1)).toMatchObject({ msg: 'Event archived' });
  };

  it('holds the loader, the function, its code cache and the SCF SDK at the root of the zip, and nothing else', () => {
    expect(zipEntries).toEqual([COMPACT_FILE, CACHE_FILE, BUNDLE_FILE, 'index.js', SCF_SDK_FILE]);
  });

  it('is byte-identical from one packaging to the next, in another folder, code cache included', async () => {
    expect((await packaged(dir, 'packaged-again')).sha256).toBe(zip.sha256);
  });

  it("on SCF's Node, loads with the code cache, and says so once, on the first invocation", async () => {
    const invoked = await invoke(['events/workflow-task-docs-sample.json', 'events/edit-media-task-success.json']);
    expect(invoked.results.map((r) => r.summary?.result)).toEqual(['archived', 'archived']);
    expect(coldStartLine(invoked.logs)).toEqual([expect.objectContaining({ level: 'info', msg: 'Cold start', request_id: 'smoke-0', code_cache: 'accepted', load_ms: expect.any(Number) })]);
    // The heap bound of serverless.yml's NODE_OPTIONS (old space and three semi-spaces), not V8's default.
    const flag = (name: string) => Number(new RegExp(`--${name}=(\\d+)`).exec(shippedNodeOptions())![1]);
    expect(coldStartLine(invoked.logs)[0]).toMatchObject({ heap_limit_mb: flag('max-old-space-size') + 3 * flag('max-semi-space-size') });
    expect(invoked.logs[0]).toBe(coldStartLine(invoked.logs)[0]);
    expect(invoked.logs[0]!.load_ms).toBeGreaterThan(0);
    // What the bundle leaves out or loads on first use (scripts/build/bundle.ts) stays unloaded.
    expect(invoked.builtins).toContain('https');
    for (const unused of ['worker_threads', 'assert', 'zlib']) expect(invoked.builtins).not.toContain(unused);
  });

  it("on this machine's Node, another V8, the cache is rejected and the function still works", async () => {
    expect((await run(SCF_NODE, ['-p', 'process.versions.v8'])).stdout.trim()).not.toBe(process.versions.v8);
    const invoked = await invoke(['events/workflow-task-docs-sample.json'], {}, { node: process.execPath });
    expect(coldStartLine(invoked.logs)).toEqual([expect.objectContaining({ msg: 'Cold start', code_cache: 'rejected' })]);
    archivedOne(invoked);
  });

  it('without the cache, loads the bundle as it is', async () => {
    const folder = await variant('no-cache', (f) => rm(join(f, CACHE_FILE)));
    const invoked = await invoke(['events/workflow-task-docs-sample.json'], {}, { folder });
    expect(coldStartLine(invoked.logs)).toEqual([expect.objectContaining({ code_cache: 'absent' })]);
    archivedOne(invoked);
  });

  it('refuses a cache made from another bundle, even one of the same length, which V8 itself would take', async () => {
    // The same length and flags: V8 would run the cached code of the old bundle, logging the old message.
    const folder = await variant('other-bundle', async (f) => {
      const source = await readFile(join(f, BUNDLE_FILE), 'utf8');
      expect(source).toContain('"Event archived"');
      await writeFile(join(f, BUNDLE_FILE), source.replace('"Event archived"', '"Event ARCHIVED"'));
    });
    const invoked = await invoke(['events/workflow-task-docs-sample.json'], {}, { folder });
    expect(coldStartLine(invoked.logs)).toEqual([expect.objectContaining({ code_cache: 'rejected' })]);
    expect(invoked.results[0]!.summary?.result).toBe('archived');
    expect(invoked.logs.at(-1)).toMatchObject({ msg: 'Event ARCHIVED' });
  });

  it('archives every fixture as the source does, and records every invalid one', async () => {
    const names = [...fixtureNames('events'), ...fixtureNames('invalid')];
    const { results, logs, loaded } = await invoke(names);
    expect(results.map((r) => r.error)).toEqual(names.map(() => undefined));
    // One line per event, after the cold start's.
    expect(logs).toHaveLength(names.length + 1);
    // Without FORWARD_TO, the SCF SDK is never loaded.
    expect(loaded).toEqual(['index.js']);

    for (const { file, summary } of results) {
      const name = names.find((n) => file.endsWith(n))!;
      if (summary!.result === 'archived') {
        const { raw, normalized } = summary!.objects!;
        expect((await stored(raw.key)).toString()).toBe(JSON.stringify(maskSecrets(fixture(name))));
        expect(NormalizedRecordSchema.parse(JSON.parse((await stored(normalized.key)).toString())).raw_key).toBe(raw.key);
      } else {
        expect(name.startsWith('invalid/')).toBe(true);
        expect(ErrorRecordSchema.parse(JSON.parse((await stored(summary!.error_key!)).toString())).error_type).toBe(summary!.error_type);
      }
    }
  });

  // The compactor, deployed from the same zip as a second function (serverless.compact.yml).
  it("compacts yesterday on SCF's Node through index.compact_handler, loading compact.js then and only then", async () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const day = dayKeys('mps-events', 'WorkflowTask', yesterday);
    for (const id of ['a', 'b']) {
      const body = Buffer.from(`${JSON.stringify({ ...normalizedRecord(), event_id: id })}\n`);
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      await cos.files.put(LOCAL_BUCKET, `${day.normalized}hour=23/${id}.json`, body, { contentType: 'application/json', etag, size: body.length, storageClass: 'STANDARD', lastModified: new Date().toUTCString(), userMeta: {} });
    }
    const compactYml = parse(await readFile(join(PROJECT, 'serverless.compact.yml'), 'utf8')) as { inputs: { environment: { variables: Record<string, string> } } };
    const driver = `
      const { compact_handler } = require('./index.js');
      const before = Object.keys(require.cache).map((p) => require('node:path').basename(p));
      compact_handler({ Type: 'timer', TriggerName: 'compact-daily' }, { request_id: 'timer-0', time_limit_in_ms: 60000 }).then((summary) => {
        const after = Object.keys(require.cache).map((p) => require('node:path').basename(p));
        require('node:fs').writeFileSync(process.argv[1], JSON.stringify({ summary, before, after }));
      });
    `;
    const out = join(dir, 'compact-result.json');
    await run(SCF_NODE, ['-e', driver, out], {
      cwd: unpacked,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_OPTIONS: compactYml.inputs.environment.variables.NODE_OPTIONS!,
        COS_BUCKET: LOCAL_BUCKET,
        COS_REGION: LOCAL_REGION,
        COS_ENDPOINT: cos.endpoint,
        LOG_LEVEL: 'silent',
        TENCENTCLOUD_SECRETID: keys.secretId,
        TENCENTCLOUD_SECRETKEY: keys.secretKey,
      },
    });
    const { summary, before, after } = JSON.parse(await readFile(out, 'utf8'));
    expect(summary.compacted).toContainEqual({ event_type: 'WorkflowTask', dt: yesterday, rows: 2, parts: 1, rejected: 0 });
    expect(before).not.toContain(COMPACT_FILE);
    expect(after).toContain(COMPACT_FILE);
    const manifest = ManifestSchema.parse(JSON.parse((await stored(day.manifest)).toString()));
    expect(manifest).toMatchObject({ status: 'complete', rows: 2 });
    expect((await stored(day.part(0))).subarray(0, 4).toString()).toBe('PAR1');
  });

  // cos-request prints every request's options, signature and session token included, when
  // NODE_DEBUG names it as it loads; the loader clears it first.
  it('prints no credential with NODE_DEBUG=request set', async () => {
    const sessionToken = `token-${keys.secretKey}`;
    const invoked = await invoke(['events/edit-media-task-success.json'], { NODE_DEBUG: 'request,tunnel,module', TENCENTCLOUD_SESSIONTOKEN: sessionToken });
    archivedOne(invoked);
    const printed = `${invoked.stderr}${JSON.stringify(invoked.logs)}`;
    for (const credential of [keys.secretId, keys.secretKey, sessionToken, 'q-signature', 'q-ak', 'x-cos-security-token']) expect(printed).not.toContain(credential);
    expect(invoked.stderr).not.toMatch(/^(?:REQUEST|TUNNEL)/m);
    // What else it names still prints: the variable was edited, not dropped.
    expect(invoked.stderr).toMatch(/^MODULE \d+:/m);
  });

  // Node's own http, https and net print every request's headers, and read NODE_DEBUG as Node starts.
  it('fails at cold start when NODE_DEBUG names a module of Node that prints requests', async () => {
    await expect(invoke(['events/edit-media-task-success.json'], { NODE_DEBUG: 'http' })).rejects.toThrow(/ConfigError: Invalid configuration: NODE_DEBUG must not name http, https, net/);
  });

  it('retries a 503 and a dropped connection, and stores everything', async () => {
    cos.inject({ kind: 'status', status: 503, code: 'ServiceUnavailable' }, { times: 1, keyIncludes: '/normalized/' });
    cos.inject({ kind: 'reset' }, { times: 1, keyIncludes: '/raw/' });
    const { results } = await invoke(['events/workflow-task-docs-sample.json']);
    expect(results[0]!.summary?.result).toBe('archived');
    expect(cos.requests.filter((r) => r.fault).map((r) => r.fault).sort()).toEqual(['reset', 'status']);
    cos.clearFaults();
  });

  // The bundle's SDK makes one attempt per putObject (patches/cos-nodejs-sdk-v5+3.0.0.patch); as
  // published, it would make four at once for each of the function's attempts.
  it("leaves every retry of a PUT to the function: a 503 that never ends takes its four attempts, no more", async () => {
    const before = cos.requests.length;
    cos.inject({ kind: 'status', status: 503, code: 'ServiceUnavailable' }, { keyIncludes: '/raw/' });
    const { results } = await invoke(['events/edit-media-task-success.json']);
    cos.clearFaults();
    expect(results[0]!.error).toMatchObject({ name: 'StorageError', code: 'ServiceUnavailable', retryable: true });
    expect(cos.requests.slice(before).filter((r) => r.key.includes('/raw/')).map((r) => r.status)).toEqual([503, 503, 503, 503]);
  });

  it("learns COS's clock from a RequestTimeTooSkewed answer, and keeps it for the instance's next events", async () => {
    const skewed = await startLocalCos({ root: join(dir, 'skewed-cos'), keys, buckets: [LOCAL_BUCKET], clockOffsetMs: 20 * 60_000 });
    try {
      const { results } = await invoke(['events/edit-media-task-success.json', 'events/workflow-task-docs-sample.json'], { COS_ENDPOINT: skewed.endpoint });
      expect(results.map((r) => r.summary?.result)).toEqual(['archived', 'archived']);
      expect(skewed.requests.map((r) => r.status)).toEqual([403, 403, 200, 200, 200, 200]);
    } finally {
      await skewed.close();
    }
  });

  // The SDK tunnels an HTTPS request through the proxy that HTTPS_PROXY names, with tunnel-agent,
  // which the bundle must keep. This proxy refuses every tunnel: the PUT must reach it, and fail
  // as any connection does, for SCF to retry.
  it('reaches COS through the proxy the environment names, as the SDK does', async () => {
    const targets: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (req: IncomingMessage, socket: Duplex) => {
      targets.push(req.url ?? '');
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
    const { endpoint, close } = await listenOnLoopback(proxy);
    try {
      const { results } = await invoke(['events/edit-media-task-success.json'], { COS_ENDPOINT: '', HTTPS_PROXY: endpoint });
      expect(results[0]!.error).toMatchObject({ name: 'StorageError', retryable: true });
      expect(results[0]!.error!.message).not.toMatch(/left out of the bundle/);
      // COS's default domain, then, after two attempts without an answer, its backup domain.
      expect(new Set(targets)).toEqual(new Set([`${LOCAL_BUCKET}.cos.${LOCAL_REGION}.myqcloud.com:443`, `${LOCAL_BUCKET}.cos.${LOCAL_REGION}.tencentcos.cn:443`]));
    } finally {
      await close();
    }
  });

  it('fails the invocation with a StorageError that reads COS error bodies', async () => {
    const { results, logs } = await invoke(['events/edit-media-task-success.json'], { TENCENTCLOUD_SECRETKEY: 'wrong' });
    expect(results[0]!.error).toMatchObject({ name: 'StorageError', code: 'SignatureDoesNotMatch', retryable: false });
    expect(logs[1]).toMatchObject({ level: 'error', code: 'SignatureDoesNotMatch', status_code: 403 });
  });

  it('forwards with the SCF SDK from its own file, against a local SCF API', async () => {
    const scf = await startLocalScf({ keys, functions: ['notify'] });
    try {
      const { results, loaded, logs } = await invoke(['events/edit-media-task-success.json'], { FORWARD_TO: 'notify', SCF_API_ENDPOINT: scf.endpoint });
      expect(results[0]!.error).toBeUndefined();
      expect(loaded.sort()).toEqual(['index.js', 'scf-sdk.js']);
      const [invocation] = scf.invocations;
      expect(invocation).toMatchObject({ functionName: 'notify', invocationType: 'Event' });
      expect(invocation!.error).toBeUndefined();
      expect(invocation!.clientContext).toBe(JSON.stringify(maskSecrets(fixture('events/edit-media-task-success.json'))));
      expect(logs.find((l) => l.msg === 'Event forwarded')).toMatchObject({ target: 'default/notify:$LATEST', invoke_request_id: invocation!.requestId, mode: 'full' });

      scf.inject({ kind: 'error', code: 'ResourceNotFound.Function' });
      const failed = await invoke(['events/edit-media-task-success.json'], { FORWARD_TO: 'notify', SCF_API_ENDPOINT: scf.endpoint });
      expect(failed.results[0]!.error).toMatchObject({ name: 'ForwardError', code: 'ResourceNotFound.Function', retryable: false });
    } finally {
      await scf.close();
    }
  });

  it('fails at cold start with a clear message when the configuration is bad', async () => {
    await expect(invoke(['events/edit-media-task-success.json'], { COS_BUCKET: 'bad' })).rejects.toThrow(/ConfigError: Invalid configuration: COS_BUCKET must look like name-appid/);
  });
});
