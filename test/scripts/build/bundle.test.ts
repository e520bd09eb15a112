import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import {
  bundle,
  LAZY_BUILTINS,
  LAZY_PACKAGES,
  lazyBuiltins,
  largestInputs,
  PINO_TRANSPORT,
  pinoWithoutTransports,
  PROJECT,
  SCF_SDK_FILE,
  SCF_SDK_STUBBED_PACKAGES,
  STUBBED_PACKAGES,
  stubs,
  type Output,
} from '../../../scripts/build/bundle';
import { SCF_NODE } from '../../../scripts/scf-node';
import { BUNDLE_FILE, CJS_WRAPPER, COMPACT_FILE } from '../../../src/code-cache';
import { cosSdkForms } from '../../support/minified-cos-sdk';

/** `contents`, a CommonJS module of the project, bundled for Node with `plugins` alone. */
const bundled = (contents: string, plugins: Plugin[]) =>
  build({ stdin: { contents, resolveDir: PROJECT }, bundle: true, platform: 'node', format: 'cjs', write: false, metafile: true, logLevel: 'silent', plugins });

const inputsOf = (output: Output) => Object.keys(Object.values(output.metafile.outputs).find((o) => o.entryPoint)!.inputs);
const holds = (output: Output, name: string) => inputsOf(output).some((i) => i.includes(`node_modules/${name}/`));

describe('bundle', () => {
  it('makes function.js, one CommonJS file for Node 18 in its wrapper and in ASCII, that exports main_handler, with the unused packages stubbed', async () => {
    const { main } = await bundle();
    for (const name of [...STUBBED_PACKAGES, 'thread-stream', 'sshpk', 'tweetnacl', 'psl', 'mime-db', 'side-channel', 'object-inspect']) expect(holds(main, name)).toBe(false);
    expect(inputsOf(main)).toContain('node_modules/pino/pino.js');
    expect(inputsOf(main)).not.toContain(`node_modules/${PINO_TRANSPORT}.js`);
    expect(inputsOf(main).filter((i) => i.startsWith('stub:'))).toHaveLength(STUBBED_PACKAGES.length);
    // Held, for a proxy that HTTPS_PROXY names (test/integration/artifact.test.ts), and loaded then.
    for (const name of Object.keys(LAZY_PACKAGES)) {
      expect(holds(main, name)).toBe(true);
      expect(inputsOf(main)).toContain(`lazy-package:${name}`);
    }
    const text = Buffer.from(main.code).toString();
    expect(text.startsWith(`${CJS_WRAPPER.open}\n"use strict"`)).toBe(true);
    expect(text.trimEnd().endsWith(CJS_WRAPPER.close)).toBe(true);
    expect(main.code.every((byte) => byte <= 0x7f)).toBe(true);
    expect(text).not.toMatch(/sourceMappingURL/);

    const module = { exports: {} as Record<string, unknown> };
    const env = { COS_BUCKET: 'a-1250000000', COS_REGION: 'ap-guangzhou', LOG_LEVEL: 'silent' };
    const wrapped = new Function('process', `return ${text}`)({ ...process, env }) as (...args: unknown[]) => void;
    wrapped(module.exports, require, module, BUNDLE_FILE, '.');
    expect(typeof module.exports.main_handler).toBe('function');
  });

  // esbuild escapes what is not ASCII in strings and names, but not in a pattern without the u flag.
  it('fails when something puts a character beyond ASCII in function.js, which the loader reads as Latin-1', async () => {
    const accented: Plugin = {
      name: 'accented',
      setup(b) {
        b.onLoad({ filter: /[\\/]src[\\/]keys\.ts$/ }, async (args) => ({ contents: `${await readFile(args.path, 'utf8')}\nObject.assign(globalThis, { accent: /é/ });`, loader: 'ts' }));
      },
    };
    await expect(bundle({ plugins: [accented] })).rejects.toThrow(/function\.js is not ASCII, as the loader reads it: byte \d+, in ".*é/);
  });

  it('holds the COS SDK as patched (patches/), not as published', async () => {
    const { main } = await bundle();
    expect(cosSdkForms(Buffer.from(main.code).toString())).toEqual({ patched: [true, true], published: [false, false] });
  });

  it('fails when node_modules lacks the edits of patches/, as after an install that ran no scripts', async () => {
    const unpatchedFiles = vi.fn(() => ['node_modules/cos-nodejs-sdk-v5/sdk/base.js']);
    vi.resetModules();
    vi.doMock('../../../scripts/build/patches', () => ({ unpatchedFiles }));
    try {
      const { bundle: bundleUnpatched } = await import('../../../scripts/build/bundle');
      await expect(bundleUnpatched()).rejects.toThrow('node_modules/cos-nodejs-sdk-v5/sdk/base.js lacks the edits of patches/: run npm ci');
      expect(unpatchedFiles).toHaveBeenCalledWith(PROJECT);
    } finally {
      vi.doUnmock('../../../scripts/build/patches');
      vi.resetModules();
    }
  });

  it('makes index.js the loader of the function, holding nothing but its own source', async () => {
    const { loader, main } = await bundle();
    expect(loader.name).toBe('index.js');
    expect(main.name).toBe(BUNDLE_FILE);
    expect(inputsOf(loader).sort()).toEqual(['src/code-cache.ts', 'src/loader.ts']);
    // Node's module, which nothing else loads, is not loaded for its wrapper or createRequire.
    expect(Buffer.from(loader.code).toString()).not.toMatch(/require\("(node:)?module"\)/);
  });

  it('keeps the SCF SDK out of the function, which requires it from scf-sdk.js', async () => {
    const { main, sdk } = await bundle();
    expect(holds(main, 'tencentcloud-sdk-nodejs-scf')).toBe(false);
    expect(holds(main, 'tencentcloud-sdk-nodejs-common')).toBe(false);
    expect(Buffer.from(main.code).toString()).toContain(`require("./${SCF_SDK_FILE}")`);
    expect(Buffer.from(main.code).toString()).not.toContain('import(');
    expect(sdk.name).toBe(SCF_SDK_FILE);
    expect(holds(sdk, 'tencentcloud-sdk-nodejs-common')).toBe(true);
    for (const name of [...SCF_SDK_STUBBED_PACKAGES, 'tr46', 'mime-db']) expect(holds(sdk, name)).toBe(false);
  });

  it('keeps the compactor and its Parquet writer out of the function, in compact.js, which the loader requires only for compact_handler', async () => {
    const { loader, main, compact } = await bundle();
    expect(compact.name).toBe(COMPACT_FILE);
    expect(holds(compact, 'hyparquet-writer')).toBe(true);
    // It lists the bucket, whose queries qs must stringify.
    expect(holds(compact, 'qs')).toBe(true);
    for (const name of ['hyparquet-writer', 'hyparquet']) expect(holds(main, name)).toBe(false);
    expect(inputsOf(main).filter((i) => i.includes('src/compact/'))).toEqual([]);
    const index = Buffer.from(loader.code).toString();
    expect(index).toMatch(/compact_handler/);
    expect(index).not.toContain('hyparquet');
  });

  it('stubs qs with the one query the COS SDK sends on a PUT, the empty one, and throws for any other', async () => {
    const result = await bundled("module.exports = require('qs');", [stubs(['qs'])]);
    const module = { exports: {} as { stringify: (q: unknown) => string; parse: (s: string) => unknown } };
    new Function('module', 'exports', result.outputFiles[0]!.text)(module, module.exports);
    expect(module.exports.stringify({})).toBe('');
    expect(() => module.exports.stringify({ prefix: 'a' })).toThrow('qs is left out of the bundle');
    expect(() => module.exports.parse('a=1')).toThrow('qs is left out of the bundle');
  });

  it("leaves out pino's transports, which throw if used, and tells pino it runs on the main thread", async () => {
    const result = await bundled("module.exports = { pino: require('pino'), threads: require('node:worker_threads') };", [pinoWithoutTransports]);
    expect(Object.keys(result.metafile.inputs).filter((i) => /thread-stream|pino[\\/]lib[\\/]transport/.test(i))).toEqual([`pino-stub:${PINO_TRANSPORT}`]);
    const module = { exports: {} as { pino: { transport: (o: unknown) => unknown; destination: (o: unknown) => unknown } & ((...a: unknown[]) => { info: (m: string) => void }); threads: { isMainThread: boolean; Worker: unknown } } };
    new Function('module', 'exports', 'require', result.outputFiles[0]!.text)(module, module.exports, require);
    const { pino, threads } = module.exports;
    expect(() => pino.transport({ target: 'pino/file' })).toThrow(`${PINO_TRANSPORT} is left out of the bundle`);
    expect(() => pino({ transport: { target: 'pino/file' } })).toThrow(`${PINO_TRANSPORT} is left out of the bundle`);
    expect(threads.isMainThread).toBe(true);
    const worker = () => new (threads.Worker as new (f: string) => { postMessage: (m: unknown) => void })('x.js');
    expect(() => worker().postMessage('mps')).toThrow('worker_threads is left out of the bundle');
    const lines: string[] = [];
    pino({ base: undefined }, { write: (line: string) => lines.push(line) }).info('still logs');
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'still logs' });
  });

  it('loads assert and zlib only when they are used, and then as Node has them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lazy-builtins-'));
    try {
      const { main } = await bundle();
      await writeFile(join(dir, 'index.js'), main.code);
      const lazy = await bundled("module.exports = { assert: require('assert'), zlib: require('zlib') };", [lazyBuiltins(LAZY_BUILTINS)]);
      await writeFile(join(dir, 'lazy.js'), lazy.outputFiles[0]!.contents);
      const probe = `
        const loaded = () => ${JSON.stringify(LAZY_BUILTINS)}.filter((name) => process.moduleLoadList.includes('NativeModule ' + name));
        require('./index.js');
        const { assert, zlib } = require('./lazy.js');
        const before = loaded();
        assert(true);
        assert.strictEqual(1, 1);
        let message;
        try { assert.deepStrictEqual({ a: 1 }, { a: 2 }); } catch (error) { message = error.name; }
        const inflated = zlib.inflateSync(zlib.deflateSync('mps')).toString();
        console.log(JSON.stringify({ before, after: loaded(), message, inflated }));
      `;
      const env = { PATH: process.env.PATH, COS_BUCKET: 'a-1250000000', COS_REGION: 'ap-guangzhou', LOG_LEVEL: 'silent' };
      const result = JSON.parse(execFileSync(SCF_NODE, ['-e', probe], { cwd: dir, env, encoding: 'utf8' }));
      expect(result).toEqual({ before: [], after: LAZY_BUILTINS, message: 'AssertionError', inflated: 'mps' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('without stubs, holds the packages the stubs replace', async () => {
    const { main, sdk } = await bundle({ stub: false });
    expect(holds(main, 'tough-cookie')).toBe(true);
    expect(holds(sdk, 'whatwg-url')).toBe(true);
  });

  it('names its largest inputs, largest first', async () => {
    const rows = largestInputs((await bundle()).main.metafile, 5);
    expect(rows).toHaveLength(5);
    expect(rows.map(([name]) => name)).toContain('cos-nodejs-sdk-v5');
    expect(rows.map(([, bytes]) => bytes)).toEqual([...rows.map(([, bytes]) => bytes)].sort((a, b) => b - a));
  });
});
