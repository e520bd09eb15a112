import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILE, CJS_WRAPPER, COMPACT_FILE, V8_FLAGS } from '../src/code-cache';

/*
 * The zip's index.js in a fresh process, around a bundle of its own that fails when asked to, with
 * V8's setFlagsFromString recorded: the loader sets V8 for the cold start before it compiles the
 * bundle, and for a warm instance once the first invocation is done, however it ended.
 */
describe('the loader', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loader-'));
    const bundle = `
      exports.reportLoad = (load) => { globalThis.reported = load; };
      let calls = 0;
      exports.main_handler = async (event) => {
        if (event === 'fail') throw new Error('failed');
        return ++calls;
      };`;
    await writeFile(join(dir, BUNDLE_FILE), `${CJS_WRAPPER.open}${bundle}\n${CJS_WRAPPER.close}`);
    await writeFile(join(dir, COMPACT_FILE), 'globalThis.compactLoads = (globalThis.compactLoads ?? 0) + 1; exports.compact_handler = async (event) => `compacted ${event.Type}`;');
    await writeFile(
      join(dir, 'record.js'),
      "const v8 = require('node:v8'); const set = v8.setFlagsFromString; globalThis.flags = []; v8.setFlagsFromString = (f) => { globalThis.flags.push(f); set(f); };",
    );
    await build({ entryPoints: [join(__dirname, '..', 'src', 'loader.ts')], outfile: join(dir, 'index.js'), bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("sets V8's cold-start flags before the bundle loads, and turns Sparkplug back on after the first invocation, even a failed one", () => {
    const script = `
      const { main_handler } = require('./index.js');
      (async () => {
        const seen = { loaded: [...flags], reported: typeof reported.loadMs };
        seen.first = await main_handler('fail', {}).catch((e) => e.message);
        seen.afterFirst = [...flags];
        seen.second = await main_handler('ok', {});
        seen.afterSecond = [...flags];
        console.log(JSON.stringify(seen));
      })();`;
    const seen = JSON.parse(execFileSync(process.execPath, ['-r', './record.js', '-e', script], { cwd: dir, encoding: 'utf8' }));
    expect(seen).toEqual({
      loaded: V8_FLAGS,
      reported: 'number',
      first: 'failed',
      afterFirst: [...V8_FLAGS, '--sparkplug'],
      second: 1,
      afterSecond: [...V8_FLAGS, '--sparkplug'],
    });
  });

  it('hands compact_handler to compact.js, required at its first call and then kept, never by main_handler', () => {
    const script = `
      const { main_handler, compact_handler } = require('./index.js');
      (async () => {
        await main_handler('ok', {});
        const before = globalThis.compactLoads ?? 0;
        const results = [await compact_handler({ Type: 'timer' }, {}), await compact_handler({ Type: 'timer' }, {})];
        console.log(JSON.stringify({ before, results, loads: globalThis.compactLoads }));
      })();`;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' }))).toEqual({ before: 0, results: ['compacted timer', 'compacted timer'], loads: 1 });
  });
});
