import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLE_FILE, CACHE_FILE, cacheFile, CJS_WRAPPER, type Loaded } from '../src/code-cache';

/*
 * The loader's logic on this machine's Node, each load in a fresh process as on a new instance:
 * within one process V8 reuses what it compiled before and never reads the cache. That SCF's Node
 * accepts the cache made at package time is test/integration/artifact.test.ts's to show.
 */
describe('loadBundle', () => {
  let dir: string;
  const source = Buffer.from(`${CJS_WRAPPER.open}exports.answer = require('node:path').basename(__filename) + ':' + (6 * 7);\n${CJS_WRAPPER.close}`);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'code-cache-'));
    await writeFile(join(dir, BUNDLE_FILE), source);
    await build({ entryPoints: [join(__dirname, '..', 'src', 'code-cache.ts')], outfile: join(dir, 'code-cache.js'), bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const inFreshNode = (code: string) => execFileSync(process.execPath, ['-e', `const c = require('./code-cache.js'); ${code}`], { cwd: dir, encoding: 'utf8' });
  const load = (): Loaded => JSON.parse(inFreshNode('console.log(JSON.stringify(c.loadBundle(process.cwd(), require)))'));

  /** A cache made by this Node from `bundle`, as the package step makes one with SCF's. */
  async function makeCache(bundle: Buffer) {
    await writeFile(join(dir, 'other.js'), bundle);
    inFreshNode(`
      const fs = require('node:fs');
      const bundle = fs.readFileSync('other.js');
      const compiled = c.compileBundle(process.cwd(), bundle, require);
      compiled.run();
      fs.writeFileSync(${JSON.stringify(CACHE_FILE)}, c.cacheFile(bundle, compiled.script.createCachedData()));
    `);
  }

  it('runs the bundle as a CommonJS module of its folder, and says the cache is absent when there is none', () => {
    const loaded = load();
    expect(loaded).toMatchObject({ codeCache: 'absent', exports: { answer: `${BUNDLE_FILE}:42` } });
    expect(loaded.loadMs).toBeGreaterThan(0);
  });

  it('uses a cache that this V8 made from this bundle', async () => {
    await makeCache(source);
    expect(load()).toMatchObject({ codeCache: 'accepted', exports: { answer: `${BUNDLE_FILE}:42` } });
  });

  it('refuses a cache made from another bundle of the same length, which V8 would take, and loads this one', async () => {
    const other = Buffer.from(source.toString().replace('6 * 7', '6 * 9'));
    expect(other.length).toBe(source.length);
    await makeCache(other);
    expect(load()).toMatchObject({ codeCache: 'rejected', exports: { answer: `${BUNDLE_FILE}:42` } });
  });

  it('loads normally when V8 rejects the data', async () => {
    await writeFile(join(dir, CACHE_FILE), cacheFile(source, Buffer.from('not a V8 code cache')));
    expect(load()).toMatchObject({ codeCache: 'rejected', exports: { answer: `${BUNDLE_FILE}:42` } });
  });

  it('sets its V8 flags before it compiles, as the cache maker does: a cache made from this bundle without them is refused', async () => {
    inFreshNode(`
      const fs = require('node:fs');
      const bundle = fs.readFileSync(${JSON.stringify(BUNDLE_FILE)});
      const script = new (require('node:vm').Script)(bundle.toString('latin1'), { filename: ${JSON.stringify(BUNDLE_FILE)} });
      script.runInThisContext();
      fs.writeFileSync(${JSON.stringify(CACHE_FILE)}, c.cacheFile(bundle, script.createCachedData()));
    `);
    expect(load()).toMatchObject({ codeCache: 'rejected', exports: { answer: `${BUNDLE_FILE}:42` } });
  });

  it('starts the cache file with the SHA-256 of the bundle it was made from', async () => {
    await makeCache(source);
    const file = await readFile(join(dir, CACHE_FILE));
    expect(file.subarray(0, 32).toString('hex')).toBe(createHash('sha256').update(source).digest('hex'));
    expect(file.length).toBeGreaterThan(32);
  });
});
