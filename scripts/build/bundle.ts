import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import { BUNDLE_FILE, CJS_WRAPPER, COMPACT_FILE } from '../../src/code-cache';
import { unpatchedFiles } from './patches';

export const PROJECT = join(__dirname, '..', '..');
/**
 * The folder serverless.yml deploys: what SCF loads, index.js (the loader), the function's
 * bundle and code cache beside it, and the SCF SDK.
 */
export const FUNCTION_DIR = join(PROJECT, 'dist', 'function');
/** Source maps stay beside the folder, not in it: SCF does not need them. */
export const MAP_DIR = join(PROJECT, 'dist');

const SCF_SDK = 'tencentcloud-sdk-nodejs-scf';
/** The SCF SDK's file in the function folder: the function requires it only when it forwards. */
export const SCF_SDK_FILE = 'scf-sdk.js';

/**
 * Packages loaded at start for features this function never uses, replaced in the bundle by a
 * module that throws when used, so that a code path that starts to need one fails loudly in the
 * tests (which run the bundle) instead of misbehaving. Measured in instructions with valgrind,
 * they and what they pull in (sshpk, tweetnacl, psl, mime-db, ...) are about half of the
 * load.
 * - cos-request (the COS SDK's fork of `request`): cookie jars, HTTP-signature, AWS and OAuth
 *   signing, multipart forms and bodies, MIME lookup of file streams, the keep-alive agent of
 *   Node 0.10; and `qs` (with side-channel, get-intrinsic and object-inspect, 55 KB), whose stub
 *   stringifies the one query it meets. Not tunnel-agent: the SDK tunnels through a proxy that
 *   the environment names (HTTPS_PROXY), which an SCF function may have (LAZY_PACKAGES).
 * - pino: redaction, which the logger leaves to the masking rules.
 * pino's transports are left out the same way (pinoWithoutTransports).
 */
export const STUBBED_PACKAGES = [
  'tough-cookie',
  'http-signature',
  'form-data',
  'aws4',
  'aws-sign2',
  'oauth-sign',
  'mime-types',
  'qs',
  'combined-stream',
  'forever-agent',
  '@pinojs/redact',
];

/**
 * The same for the compactor's file, but for qs: it lists the bucket, whose queries are not empty.
 */
export const COMPACT_STUBBED_PACKAGES = STUBBED_PACKAGES.filter((name) => name !== 'qs');

/**
 * The same for the SCF SDK's file: node-fetch loads whatwg-url (and its 260 KB of tr46) but
 * uses Node's own URL; form-data serves multipart requests, which Invoke is not.
 */
export const SCF_SDK_STUBBED_PACKAGES = ['whatwg-url', 'form-data'];

/**
 * Calling anything the stub exports throws. Constructing is allowed, because cos-request builds
 * an (unused) global cookie jar when it loads; the object it gets throws from every method.
 * The COS SDK hands every request a query object, empty for PutObject (the function's only
 * call), and cos-request stringifies it: qs's stub turns that one into "" and throws for others.
 */
const stubSource = (name: string) => `
function unused() {
  if (new.target) return new Proxy({}, { get: () => unused });
  throw new Error(${JSON.stringify(`${name} is left out of the bundle: this function does not use it`)});
}
module.exports = ${
  name === 'qs'
    ? "{ stringify: (query) => (Object.keys(query ?? {}).length === 0 ? '' : unused()), parse: unused }"
    : "new Proxy(unused, { get: (target, key) => (key === '__esModule' ? undefined : key === 'prototype' ? target.prototype : unused) })"
};
`;

/**
 * Gives each named module the source `source(name)` in place of its own, in the namespace
 * `namespace:`, which requires what it requires from where the module was required.
 */
function replacing(namespace: string, names: string[], source: (name: string) => string): Plugin {
  return {
    name: `replace-${namespace}`,
    setup(b) {
      b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({ path: args.path, namespace, pluginData: args.resolveDir }));
      b.onLoad({ filter: /.*/, namespace }, (args) => ({ contents: source(args.path), loader: 'js', resolveDir: args.pluginData as string }));
    },
  };
}

export const stubs = (packages: string[]) => replacing('stub', packages, stubSource);

/** Where pino's transports come from: its own lib/transport.js, required from pino.js and lib/tools.js. */
const PINO = /[\\/]node_modules[\\/]pino[\\/]/;
export const PINO_TRANSPORT = 'pino/lib/transport';

/**
 * pino's transports run destinations in worker threads (lib/transport.js, which loads Node's
 * `module`, `worker_threads` and thread-stream as pino loads); the function logs synchronously to
 * stdout instead, so they are stubbed. All else pino takes from worker_threads is `isMainThread`,
 * read for asynchronous destinations only, and SCF runs the handler on its main thread; any
 * other use of worker_threads throws. Together about 4% of the load, in instructions.
 */
export const pinoWithoutTransports: Plugin = {
  name: 'pino-without-transports',
  setup(b) {
    b.onResolve({ filter: /^\.\/(lib\/)?transport$/ }, (args) => (PINO.test(args.importer) ? { path: PINO_TRANSPORT, namespace: 'pino-stub' } : undefined));
    b.onResolve({ filter: /^(node:)?worker_threads$/ }, () => ({ path: 'worker_threads', namespace: 'pino-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'pino-stub' }, (args) => ({
      contents:
        args.path === PINO_TRANSPORT
          ? stubSource(PINO_TRANSPORT)
          : `${stubSource('worker_threads')}
module.exports = new Proxy(module.exports, { get: (target, key) => (key === 'isMainThread' ? true : target[key]) });`,
      loader: 'js',
    }));
  },
};

/**
 * Node modules that packages require as they load but use only on paths this function does not
 * take: assert (sonic-boom, when a log file closes; tunnel-agent, behind a proxy) and zlib
 * (cos-request, for compressed answers, which a PUT does not ask for). In the bundle each loads
 * on first use instead; assert alone was about 1.5 ms of a cold start, because it sets up the
 * colours of stderr.
 */
export const LAZY_BUILTINS = ['assert', 'zlib'];

/**
 * The same for packages, each with the file it loads from on first use: tunnel-agent, which the
 * COS SDK uses only behind a proxy that HTTPS_PROXY names, and which loads Node's `tls` as a
 * package would, and with it every root certificate.
 */
export const LAZY_PACKAGES: Record<string, string> = { 'tunnel-agent': 'tunnel-agent/index.js' };

const lazySource = (specifier: string) => `
let loaded;
const load = () => (loaded ??= require(${JSON.stringify(specifier)}));
module.exports = new Proxy(function () {}, {
  apply: (target, self, args) => load().apply(self, args),
  get: (target, key) => load()[key],
});
`;

export const lazyBuiltins = (names: string[]) => replacing('lazy', names, (name) => lazySource(`node:${name}`));
export const lazyPackages = (files: Record<string, string>) => replacing('lazy-package', Object.keys(files), (name) => lazySource(files[name]!));

/** The function requires the SCF SDK from its own file rather than holding it. */
const sdkApart: Plugin = {
  name: 'scf-sdk-apart',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^${SCF_SDK}$`) }, () => ({ path: `./${SCF_SDK_FILE}`, external: true }));
  },
};

export interface Output {
  name: string;
  code: Uint8Array;
  map: Uint8Array;
  metafile: Metafile;
}

/**
 * `wrapped`: the function's bundle, which the loader compiles as it is (src/code-cache.ts), so
 * written inside Node's CommonJS wrapper and in ASCII. esbuild escapes other characters in strings
 * and names, but not in a regular expression without the `u` flag or in String.raw's raw text, so
 * the build checks the bytes.
 */
async function compile(entry: string, name: string, plugins: Plugin[], wrapped = false, define: Record<string, string> = {}): Promise<Output> {
  const result = await build({
    define,
    ...(wrapped && { banner: { js: CJS_WRAPPER.open }, footer: { js: CJS_WRAPPER.close }, charset: 'ascii' }),
    entryPoints: [entry],
    outfile: join(FUNCTION_DIR, name),
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
    // import() of the SCF SDK becomes a plain require of scf-sdk.js, not a trip through Node's ESM loader.
    supported: { 'dynamic-import': false },
    plugins,
  });
  const file = (suffix: string) => result.outputFiles.find((f) => f.path.endsWith(suffix))!.contents;
  const code = file(name);
  const beyondAscii = wrapped ? code.findIndex((byte) => byte > 0x7f) : -1;
  if (beyondAscii !== -1) {
    const around = Buffer.from(code.subarray(Math.max(0, beyondAscii - 60), beyondAscii + 20)).toString();
    throw new Error(`${name} is not ASCII, as the loader reads it: byte ${beyondAscii}, in ${JSON.stringify(around)}`);
  }
  return { name, code, map: file(`${name}.map`), metafile: result.metafile };
}

export interface Bundle {
  /** index.js, which SCF requires: it loads `main` with its code cache (src/loader.ts). */
  loader: Output;
  /** The function, one CommonJS file exporting main_handler, written inside Node's wrapper of one. */
  main: Output;
  /** The SCF SDK, which `main` loads only to forward. */
  sdk: Output;
  /** The compactor, with the Parquet writer, which only `index.compact_handler` loads. */
  compact: Output;
}

export interface BundleOptions {
  /** false leaves out the stubs and the lazy builtins, to measure what they save. */
  stub?: boolean;
  /** More plugins for the function's bundle, to measure a variant of it. */
  plugins?: Plugin[];
  /** Compile-time constants of the function's bundle, to measure a variant of it (src/zod.ts). */
  define?: Record<string, string>;
}

/** The function for SCF's Node 18 runtime. */
export async function bundle(options: BundleOptions = {}): Promise<Bundle> {
  const unpatched = unpatchedFiles(PROJECT);
  if (unpatched.length > 0) throw new Error(`${unpatched.join(', ')} lacks the edits of patches/: run npm ci, whose postinstall applies them`);
  const stub = options.stub !== false;
  const [loader, main, sdk, compact] = await Promise.all([
    compile(join(PROJECT, 'src', 'loader.ts'), 'index.js', []),
    compile(
      join(PROJECT, 'src', 'index.ts'),
      BUNDLE_FILE,
      [
        ...(options.plugins ?? []),
        sdkApart,
        ...(stub ? [stubs(STUBBED_PACKAGES), pinoWithoutTransports, lazyBuiltins(LAZY_BUILTINS), lazyPackages(LAZY_PACKAGES)] : []),
      ],
      true,
      options.define,
    ),
    compile(require.resolve(SCF_SDK), SCF_SDK_FILE, stub ? [stubs(SCF_SDK_STUBBED_PACKAGES)] : []),
    compile(join(PROJECT, 'src', 'compact', 'index.ts'), COMPACT_FILE, stub ? [stubs(COMPACT_STUBBED_PACKAGES), pinoWithoutTransports] : []),
  ]);
  return { loader, main, sdk, compact };
}

export async function writeBundle({ loader, main, sdk, compact }: Bundle, dir = FUNCTION_DIR, mapDir = MAP_DIR): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const output of [loader, main, sdk, compact]) {
    await writeFile(join(dir, output.name), output.code);
    await writeFile(join(mapDir, `${output.name}.map`), output.map);
  }
}

/** Bytes in an output per package (or "src"), largest first. */
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
