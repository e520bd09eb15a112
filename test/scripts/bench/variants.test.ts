import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPILING_AT_ONCE } from '../../../scripts/bench/variants';
import { PROJECT } from '../../../scripts/build/bundle';

describe('the variant with zod compiling at once', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  /** src/zod.ts bundled with `define`: how many parsers one object compiles on its first parse. */
  async function compiledOnFirstParse(define: Record<string, string>): Promise<number> {
    const dir = await mkdtemp(join(tmpdir(), 'zod-define-'));
    dirs.push(dir);
    const outfile = join(dir, 'zod.js');
    await build({ entryPoints: [join(PROJECT, 'src', 'zod.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', define, logLevel: 'warning' });
    const z = createRequire(import.meta.url)(outfile) as typeof import('../../../src/zod');
    const schema = z.object({ a: z.string() });
    const realFunction = globalThis.Function;
    let compiled = 0;
    globalThis.Function = new Proxy(realFunction, { construct: (target, args) => (compiled++, Reflect.construct(target, args)) });
    try {
      expect(schema.parse({ a: 'x' })).toEqual({ a: 'x' });
    } finally {
      globalThis.Function = realFunction;
    }
    return compiled;
  }

  it("compiles zod's object parsers on the first parse when the build defines it so, and waits as the function does when not", async () => {
    expect(await compiledOnFirstParse(COMPILING_AT_ONCE)).toBe(1);
    expect(await compiledOnFirstParse({})).toBe(0);
  });
});
