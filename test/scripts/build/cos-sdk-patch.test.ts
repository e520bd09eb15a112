import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
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
      expect(() => patchCosSdk(lf.replace(find, find.replace('err', 'error')))).toThrow(/holds 0 copies of .* not one: the SDK changed/);
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
  });
});
