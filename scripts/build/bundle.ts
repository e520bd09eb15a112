import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';

export const PROJECT = join(__dirname, '..', '..');
/** The folder serverless.yml deploys: it holds exactly what SCF loads, index.js. */
export const FUNCTION_DIR = join(PROJECT, 'dist', 'function');
/** The source map stays beside the folder, not in it: SCF does not need it. */
export const SOURCE_MAP = join(PROJECT, 'dist', 'index.js.map');

/**
 * Packages loaded at start for features this function never uses, replaced in the bundle by a
 * module that throws when used, so that a code path that starts to need one fails loudly in the
 * tests (which run the bundle) instead of misbehaving. Measured in instructions with valgrind,
 * they and what they pull in (sshpk, tweetnacl, psl, mime-db, ...) are about half of the
 * load.
 * - cos-request (the SDK's fork of `request`): cookie jars, HTTP-signature, AWS and OAuth
 *   signing, multipart forms, MIME lookup of file streams. (Not `qs`: the SDK hands every request
 *   a query object, even an empty one, and `request` stringifies it.)
 * - pino: `thread-stream`, which runs transports in worker threads; the function logs
 *   synchronously to stdout instead.
 */
export const STUBBED_PACKAGES = [
  'tough-cookie',
  'http-signature',
  'form-data',
  'aws4',
  'aws-sign2',
  'oauth-sign',
  'mime-types',
  'thread-stream',
];

/**
 * Calling anything the stub exports throws. Constructing is allowed, because cos-request builds
 * an (unused) global cookie jar when it loads; the object it gets throws from every method.
 */
const stubSource = (name: string) => `
function unused() {
  if (new.target) return new Proxy({}, { get: () => unused });
  throw new Error(${JSON.stringify(`${name} is left out of the bundle: this function does not use it`)});
}
module.exports = new Proxy(unused, { get: (target, key) => (key === '__esModule' ? undefined : key === 'prototype' ? target.prototype : unused) });
`;

const stubs: Plugin = {
  name: 'stub-unused-packages',
  setup(b) {
    const filter = new RegExp(`^(${STUBBED_PACKAGES.join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: stubSource(args.path), loader: 'js' }));
  },
};

export interface Bundle {
  code: Uint8Array;
  map: Uint8Array;
  metafile: Metafile;
}

/** src/index.ts as one CommonJS file for SCF's Node 18 runtime, exporting main_handler. */
export async function bundle(options: { stub?: boolean } = {}): Promise<Bundle> {
  const result = await build({
    entryPoints: [join(PROJECT, 'src', 'index.ts')],
    outfile: join(FUNCTION_DIR, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    minify: true,
    sourcemap: 'external',
    metafile: true,
    write: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: options.stub === false ? [] : [stubs],
  });
  const file = (suffix: string) => result.outputFiles.find((f) => f.path.endsWith(suffix))!.contents;
  return { code: file('index.js'), map: file('index.js.map'), metafile: result.metafile };
}

export async function writeBundle(b: Bundle, dir = FUNCTION_DIR, mapPath = SOURCE_MAP): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await mkdir(dirname(mapPath), { recursive: true });
  await writeFile(join(dir, 'index.js'), b.code);
  await writeFile(mapPath, b.map);
}

/** Bytes in the bundle per package (or "src"), largest first. */
export function largestInputs(metafile: Metafile, count: number): [string, number][] {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? (path.startsWith('stub:') ? 'stubs' : 'src');
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes].sort((a, b) => b[1] - a[1]).slice(0, count);
}
