import { readFileSync } from 'node:fs';
import http, { createServer } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import COS from 'cos-nodejs-sdk-v5';
import { build } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import { listenOnLoopback } from '../../../scripts/loopback';
import { bundle, PROJECT } from '../../../scripts/build/bundle';
import { COS_SDK_PATCHES, cosSdkPatched, patchCosSdk } from '../../../scripts/build/cos-sdk-patch';

const BASE = require.resolve('cos-nodejs-sdk-v5/sdk/base.js');
const source = readFileSync(BASE, 'utf8');
const lf = source.replaceAll('\r\n', '\n');

describe('the COS SDK as the function ships it', () => {
  it('changes the lines of each patch and nothing else, in the package as installed (CRLF) and with LF line ends', () => {
    for (const text of [source, lf]) {
      const patched = patchCosSdk(text);
      for (const { replace } of COS_SDK_PATCHES) expect(patched.split(replace)).toHaveLength(2);
      const unchanged = COS_SDK_PATCHES.reduce((t, { replace }) => t.replace(replace, ''), patched.replaceAll('\r\n', '\n'));
      const removed = COS_SDK_PATCHES.reduce((t, { find }) => t.replace(find, ''), lf);
      expect(unchanged).toBe(removed);
    }
  });

  it('fails when the text of a patch is missing, as in another version of the SDK', () => {
    for (const { find } of COS_SDK_PATCHES) {
      expect(() => patchCosSdk(lf.replace(find, find.replace(/\w+/, (word) => `${word}_`)))).toThrow(/holds 0 copies of .* not one: the SDK changed/);
    }
  });

  it('fails when the text of a patch is found twice', () => {
    const { find } = COS_SDK_PATCHES[1]!;
    expect(() => patchCosSdk(`${lf}\n${find}\n}`)).toThrow(/holds 2 copies/);
  });

  it('fails the build when the SDK file it patches is never bundled', async () => {
    const building = build({ stdin: { contents: "module.exports = require('zod');", resolveDir: PROJECT }, bundle: true, platform: 'node', write: false, logLevel: 'silent', plugins: [cosSdkPatched()] });
    await expect(building).rejects.toThrow(/sdk\/base\.js was not bundled: the SDK changed/);
  });

  it('is what the function bundle holds', async () => {
    const text = Buffer.from((await bundle()).main.code).toString();
    // Minified: the names differ, the code does not.
    expect(text).toMatch(/if\((\w+)&&\1\.error\)try\{let \w+=\1\.error\.Code/);
    expect(text).toMatch(/\w+&&\w+\.Action!=="name\/cos:PutObject"&&!\(\w+\.body&&\w+\.body\.pipe\)/);
    expect(text).toMatch(/\/\[a-z\]\/i\.test\((\w+)\)&&\1\[0\]!=="\["&&\(\w+\.servername=\1\)/);
  });
});

describe('the TLS server name of a request, as the shipped SDK sends it', () => {
  const BUCKET = 'names-1250000000';

  /**
   * The server name of the options the SDK's PUT gave http(s).request, and the names Node's agent
   * tested with net.isIP. `options` are the client's, given the local server's host:port. Unsent,
   * the request is only read: offline, COS's own domain would not resolve.
   */
  async function put(options: (host: string) => COS.COSOptions, send = true): Promise<{ servername: unknown; isIP: unknown[][] }> {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'Content-Length': '0' }).end());
    });
    const cos = await listenOnLoopback(server);
    const requests = [vi.spyOn(http, 'request'), vi.spyOn(https, 'request')];
    if (!send) for (const request of requests) request.mockImplementation(() => { throw new Error('not sent'); });
    const isIP = vi.spyOn(net, 'isIP');
    try {
      const client = new COS({ SecretId: 'id', SecretKey: 'key', Protocol: 'http:', ...options(new URL(cos.endpoint).host) });
      await client.putObject({ Bucket: BUCKET, Region: 'ap-guangzhou', Key: 'a.json', Body: Buffer.from('{}') }).catch(() => undefined);
      const [[sent]] = requests.flatMap((r) => r.mock.calls) as unknown as [[{ servername?: unknown }]];
      return { servername: sent.servername, isIP: isIP.mock.calls };
    } finally {
      vi.restoreAllMocks();
      await cos.close();
    }
  }

  it('is the Host the SDK sets for the Ip option, and Node does not test it with net.isIP', async () => {
    expect(await put((host) => ({ Ip: host }))).toEqual({ servername: `${BUCKET}.cos.ap-guangzhou.myqcloud.com`, isIP: [] });
    const backup = await put((host) => ({ Ip: host, Domain: '{Bucket}.cos.{Region}.tencentcos.cn' }));
    expect(backup).toEqual({ servername: `${BUCKET}.cos.ap-guangzhou.tencentcos.cn`, isIP: [] });
  });

  it("is the URL's host, without its port, when no Host is set", async () => {
    expect(await put(() => ({ Protocol: 'https:' }), false)).toEqual({ servername: `${BUCKET}.cos.ap-guangzhou.myqcloud.com`, isIP: [] });
    expect(await put(() => ({ Domain: 'cos.example.com:8443' }), false)).toEqual({ servername: 'cos.example.com', isIP: [] });
  });

  it('is left to Node for a host that may be an IP, which Node then leaves unnamed', async () => {
    expect(await put((host) => ({ Domain: host }))).toEqual({ servername: undefined, isIP: [['127.0.0.1']] });
    expect(await put(() => ({ Domain: '[::1]:8443' }), false)).toMatchObject({ servername: undefined });
  });
});
