import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import COS from 'cos-nodejs-sdk-v5';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundle, PROJECT } from '../../../scripts/build/bundle';
import { COS_SDK_PATCHES, cosSdkPatched, patchCosSdk, type PatchedFile } from '../../../scripts/build/cos-sdk-patch';

/** The COS SDK's HTTP client, as the tests load it: with the patches. */
const request = require('cos-request') as (options: Record<string, unknown>, callback: (error: unknown) => void) => object;
const FILES = [...new Set(COS_SDK_PATCHES.map((p) => p.file))];
const installed = (file: PatchedFile) => readFileSync(require.resolve(file), 'utf8');
const patchesOf = (file: PatchedFile) => COS_SDK_PATCHES.filter((p) => p.file === file);

describe('the COS SDK as the function ships it', () => {
  it('patches both files, the SDK and its HTTP client', () => {
    expect(FILES).toEqual(['cos-nodejs-sdk-v5/sdk/base.js', 'cos-request/request.js']);
  });

  it.each(FILES)('changes the lines of each patch of %s and nothing else, in the package as installed and with LF line ends', (file) => {
    const source = installed(file);
    const lf = source.replaceAll('\r\n', '\n');
    for (const text of [source, lf]) {
      const patched = patchCosSdk(file, text);
      for (const { replace } of patchesOf(file)) expect(patched.split(replace)).toHaveLength(2);
      const unchanged = patchesOf(file).reduce((t, { replace }) => t.replace(replace, ''), patched.replaceAll('\r\n', '\n'));
      const removed = patchesOf(file).reduce((t, { find }) => t.replace(find, ''), lf);
      expect(unchanged).toBe(removed);
    }
  });

  it('fails when the text of a patch is missing, as in another version of the package', () => {
    for (const { file, find } of COS_SDK_PATCHES) {
      const lf = installed(file).replaceAll('\r\n', '\n');
      expect(() => patchCosSdk(file, lf.replace(find, find.replace(/\w+/, 'changed')))).toThrow(/holds 0 copies of .* not one: the package changed/);
    }
  });

  it('fails when the text of a patch is found twice', () => {
    const { file, find } = COS_SDK_PATCHES[1]!;
    expect(() => patchCosSdk(file, `${installed(file)}\n${find}\n}`)).toThrow(/holds 2 copies/);
  });

  it('fails the build when a file it patches is never bundled', async () => {
    const building = build({ stdin: { contents: "module.exports = require('zod');", resolveDir: PROJECT }, bundle: true, platform: 'node', write: false, logLevel: 'silent', plugins: [cosSdkPatched()] });
    await expect(building).rejects.toThrow(/cos-nodejs-sdk-v5\/sdk\/base\.js was not bundled: the package changed[\s\S]*cos-request\/request\.js was not bundled/);
  });

  it('is what the function bundle holds', async () => {
    const text = Buffer.from((await bundle()).main.code).toString();
    // Minified: the names differ, the code does not.
    expect(text).toMatch(/if\((\w+)&&\1\.error\)try\{let \w+=\1\.error\.Code/);
    expect(text).toMatch(/\w+&&\w+\.Action!=="name\/cos:PutObject"&&!\(\w+\.body&&\w+\.body\.pipe\)/);
    expect(text).toMatch(/(\w+)\.uri=\1\.url,\1\.url=void 0/);
    expect(text).toMatch(/new Set\(\["_events","_eventsCount",/);
    expect(text).toMatch(/Object\.keys\((\w+)\)\.forEach\(function\((\w+)\)\{\w+\.has\(\2\)\|\|\(\w+\[\2\]=\1\[\2\]\)\}\)/);
  });
});

describe('a PUT through the patched SDK', () => {
  const server = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(200, { ETag: '"x"' }).end()));
  let port: number;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => vi.restoreAllMocks());

  it('makes each request a fast object, not a dictionary', async () => {
    setFlagsFromString('--allow-natives-syntax');
    const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
    await new Promise<void>((resolve, reject) => {
      const sent = request({ method: 'PUT', url: `http://127.0.0.1:${port}/a`, body: Buffer.from('{}'), forever: true }, (error: unknown) => (error ? reject(error) : resolve()));
      expect(hasFastProperties(sent)).toBe(true);
    });
  });

  it("gives Node's http.request the request's options, not cos-request's own state", async () => {
    const httpRequest = vi.spyOn(http, 'request');
    const cos = new COS({ SecretId: 'AKIDEXAMPLE', SecretKey: 'example', Ip: `127.0.0.1:${port}`, Protocol: 'http:' });
    const put = await cos.putObject({ Bucket: 'archive-1250000000', Region: 'ap-guangzhou', Key: 'a/b.json', Body: Buffer.from('{}'), ContentLength: 2 });
    expect(put.statusCode).toBe(200);
    expect(httpRequest).toHaveBeenCalledTimes(1);
    const options = httpRequest.mock.calls[0]![0] as unknown as http.RequestOptions & Record<string, unknown>;
    expect(Object.keys(options).sort()).toEqual(['agent', 'headers', 'host', 'localAddress', 'method', 'path', 'port', 'setHost']);
    expect(options).toMatchObject({ method: 'PUT', host: '127.0.0.1', path: '/a/b.json' });
    expect(options.headers).toMatchObject({ Host: 'archive-1250000000.cos.ap-guangzhou.myqcloud.com', Authorization: expect.stringMatching(/^q-sign-algorithm=sha1&q-ak=AKIDEXAMPLE&/) });
    expect((options.agent as { keepAlive?: boolean }).keepAlive).toBe(true);
  });
});
