import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { CACHE_FILE } from '../../src/code-cache';
import { PROJECT } from '../build/bundle';
import { buildFunction } from '../build/code-cache';

/*
 * The handlers the benchmarks hold side by side, by key, each built once per run into a folder
 * of its own. Their names in the reports are a table apart (VARIANT_NAMES).
 */

export type Variant = 'function' | 'function-no-cache' | 'function-compiling-first' | 'naive' | 'naive-skip-task';

export const VARIANT_NAMES: Record<Variant, string> = {
  function: 'mps-cos-backup',
  'function-no-cache': 'mps-cos-backup, no code cache',
  'function-compiling-first': "mps-cos-backup, zod's parsers compiled on the first event",
  naive: 'naive putObject',
  'naive-skip-task': 'naive putObject, SkipTask',
};

/** src/zod.ts then compiles each object's parser on its first parse, as zod itself does. */
export const COMPILING_AT_ONCE = { ZOD_PARSES_BEFORE_COMPILING: '0' };

/** One minified CommonJS file for Node 18 from `contents`, resolved from the project; its size. */
export async function bundleOneFile(contents: string, outfile: string, plugins: Plugin[] = []): Promise<number> {
  const result = await build({ stdin: { contents, resolveDir: PROJECT }, outfile, bundle: true, platform: 'node', target: 'node18', format: 'cjs', minify: true, write: true, metafile: true, logLevel: 'warning', plugins });
  return Object.values(result.metafile.outputs)[0]!.bytes;
}

/**
 * The naive handler (naive.ts) as a careful user would ship it: bundled and minified by esbuild,
 * exporting main_handler. `skipTask` skips the SDK's upload queue (`SkipTask`, which its typings
 * do not know), as this function does: the least one SDK PUT costs. A warm instance of the naive
 * handler keeps its past 1,000 uploads in that queue and formats the whole list on every update.
 */
export const bundleNaive = (outfile: string, { skipTask = false } = {}) =>
  bundleOneFile(`exports.main_handler = require('./scripts/bench/naive').createNaiveHandler(process.env, { skipTask: ${skipTask} });`, outfile);

const naive = async (dir: string, skipTask: boolean) => {
  const file = join(dir, 'naive.js');
  await bundleNaive(file, { skipTask });
  return file;
};

/** The file SCF would require for each variant, built into `dir`; source maps go to `maps`. */
const BUILDS: Record<Variant, (dir: string, maps: string, builds: Builds) => Promise<string>> = {
  function: async (dir, maps) => {
    await buildFunction(dir, maps);
    return join(dir, 'index.js');
  },
  'function-no-cache': async (dir, _maps, builds) => {
    await cp(dirname(await builds.file('function')), dir, { recursive: true });
    await rm(join(dir, CACHE_FILE));
    return join(dir, 'index.js');
  },
  'function-compiling-first': async (dir, maps) => {
    await buildFunction(dir, maps, { define: COMPILING_AT_ONCE });
    return join(dir, 'index.js');
  },
  naive: (dir) => naive(dir, false),
  'naive-skip-task': (dir) => naive(dir, true),
};

export interface Builds {
  /** Where the builds are: a temporary folder, which measurements may also use. */
  root: string;
  /** The variant's entry file, built on first request. */
  file(variant: Variant): Promise<string>;
}

/** Builds in a temporary folder for the time of `use`, each variant built once. */
export async function withBuilds<T>(use: (builds: Builds) => Promise<T>): Promise<T> {
  const root = await mkdtemp(join(tmpdir(), 'bench-'));
  const built = new Map<Variant, Promise<string>>();
  const builds: Builds = {
    root,
    file(variant) {
      let file = built.get(variant);
      if (!file) {
        const [dir, maps] = [join(root, variant), join(root, 'maps', variant)];
        file = Promise.all([mkdir(dir), mkdir(maps, { recursive: true })]).then(() => BUILDS[variant](dir, maps, builds));
        built.set(variant, file);
      }
      return file;
    },
  };
  try {
    return await use(builds);
  } finally {
    await Promise.allSettled(built.values());
    await rm(root, { recursive: true, force: true });
  }
}
