import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../src/errors';
import { fixture } from './support/fixtures';
import { context } from './support/doubles';
import { startRecordingServer } from './support/recording-server';

/*
 * The SCF entry point with the real COS SDK over real HTTP, against a loopback server that
 * records what arrives: what COS itself would receive from this function.
 */
describe('index.main_handler', () => {
  let server: Awaited<ReturnType<typeof startRecordingServer>>;
  beforeEach(async () => {
    server = await startRecordingServer();
    vi.resetModules();
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
  });

  function stubEnv(extra: Record<string, string> = {}) {
    const env: Record<string, string> = {
      COS_BUCKET: 'archive-1250000000',
      COS_REGION: 'ap-guangzhou',
      COS_ENDPOINT: server.url,
      COS_STORAGE_CLASS: 'STANDARD_IA',
      LOG_LEVEL: 'silent',
      TENCENTCLOUD_SECRETID: 'AKIDtest',
      TENCENTCLOUD_SECRETKEY: 'test-secret-key',
      TENCENTCLOUD_SESSIONTOKEN: 'test-session-token',
      ...extra,
    };
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  }

  it('stores both objects through the real COS SDK, as COS would receive them', async () => {
    stubEnv();
    const { main_handler } = await import('../src/index');
    const summary = await main_handler(fixture('events/workflow-task-docs-sample.json'), context);
    if (summary.result !== 'archived') throw new Error('not archived');

    expect(server.requests).toHaveLength(2);
    for (const { key } of Object.values(summary.objects)) {
      const req = server.requests.find((r) => decodeURIComponent(r.url) === `/${key}`);
      if (!req) throw new Error(`no PUT for ${key}`);
      expect(req.method).toBe('PUT');
      expect(req.headers.host).toBe('archive-1250000000.cos.ap-guangzhou.myqcloud.com');
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers['content-md5']).toBe(createHash('md5').update(req.body).digest('base64'));
      expect(req.headers['content-length']).toBe(String(req.body.length));
      expect(req.headers['x-cos-storage-class']).toBe('STANDARD_IA');
      expect(req.headers['x-cos-security-token']).toBe('test-session-token');
      expect(req.headers.authorization).toMatch(/^q-sign-algorithm=sha1&q-ak=AKIDtest&/);
      expect(JSON.parse(req.body.toString())).toBeTruthy();
    }
  });

  it('reads the rotating credentials at every invocation', async () => {
    stubEnv();
    const { main_handler } = await import('../src/index');
    await main_handler(fixture('events/edit-media-task-success.json'), context);
    vi.stubEnv('TENCENTCLOUD_SECRETID', 'AKIDrotated');
    vi.stubEnv('TENCENTCLOUD_SESSIONTOKEN', 'rotated-token');
    await main_handler(fixture('events/edit-media-task-failed.json'), context);
    expect(server.requests.map((r) => r.headers['x-cos-security-token'])).toEqual(['test-session-token', 'test-session-token', 'rotated-token', 'rotated-token']);
    expect(server.requests.at(-1)!.headers.authorization).toContain('q-ak=AKIDrotated&');
  });

  it('fails at cold start, naming the variable, when the configuration is bad', async () => {
    stubEnv({ COS_BUCKET: 'no-appid' });
    // resetModules gives the import its own copy of errors.ts, so the class is checked by name.
    const load = import('../src/index');
    await expect(load).rejects.toThrow(/COS_BUCKET must look like name-appid/);
    await expect(load).rejects.toMatchObject({ name: ConfigError.name, retryable: false });
  });

  it('fails the invocation, without writing, when the role gives no credentials', async () => {
    stubEnv({ TENCENTCLOUD_SECRETID: '', TENCENTCLOUD_SECRETKEY: '' });
    const { main_handler } = await import('../src/index');
    await expect(main_handler(fixture('events/edit-media-task-success.json'), context)).rejects.toThrow(/No credentials/);
    expect(server.requests).toHaveLength(0);
  });
});
