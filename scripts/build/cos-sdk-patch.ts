import { readFileSync } from 'node:fs';
import Module from 'node:module';
import type { Plugin } from 'esbuild';

/*
 * Edits of the COS SDK's source (cos-nodejs-sdk-v5 3.0.0) and of the HTTP client it comes with
 * (cos-request), made where they are bundled, so that the packages stay and only these lines
 * change in what ships. Each must be found exactly once: a package whose text has moved fails
 * the build, not the function. The naive handler of the benchmarks ships them as they are.
 */

/** The files edited, by their path inside node_modules. */
const PATCHED_FILES = ['cos-nodejs-sdk-v5/sdk/base.js', 'cos-request/request.js'] as const;
export type PatchedFile = (typeof PATCHED_FILES)[number];

const pathPattern = (file: string) => new RegExp(`[\\\\/]${file.replaceAll('.', '\\.').replaceAll('/', '[\\\\/]')}$`);
const FILE_PATTERNS = PATCHED_FILES.map((file) => [file, pathPattern(file)] as const);
/** Which of the edited files a path is, if any: asked of every module the tests compile. */
const patchedFileAt = (path: string) => FILE_PATTERNS.find(([, pattern]) => pattern.test(path))?.[0];
/** Any of them, for esbuild's filter. */
const ANY_PATCHED_FILE = new RegExp(FILE_PATTERNS.map(([, pattern]) => pattern.source).join('|'));

interface SdkPatch {
  file: PatchedFile;
  find: string;
  replace: string;
}

/**
 * What cos-request's own state is, of the properties of a request: none of it is an option of
 * Node's http.request, its agents, sockets or streams (Node 18.15's own source; of these it
 * reads only `readable` and `writable`, and only when they are false, which a request's never are).
 */
const REQUEST_STATE = [
  '_events', '_eventsCount', '_maxListeners', 'readable', 'writable', 'body', 'url', 'uri', 'href', 'dests', 'pool',
  'forever', 'followRedirect', 'explicitMethod', 'proxy', 'tunnel', 'httpModule', 'agentClass', 'agentOptions',
  'originalCookieHeader', '_disableCookies', '_jar', '_qs', '_auth', '_oauth', '_multipart', '_redirect', '_tunnel',
  '_started', '__isRequestRequest', 'setHeader', 'hasHeader', 'getHeader', 'removeHeader',
];

export const COS_SDK_PATCHES: SdkPatch[] = [
  // getRetryInfo reads err.error.Code when err is null, on every success: V8 throws a TypeError,
  // and parses the function again to word its message, which the SDK's catch then drops (about a
  // tenth of a PUT's CPU). Guarded, the block runs only when it can read something, as before.
  {
    file: 'cos-nodejs-sdk-v5/sdk/base.js',
    find: '  try {\n    let errorCode = err.error.Code;',
    replace: '  if (err && err.error) try {\n    let errorCode = err.error.Code;',
  },
  // The SDK retries a failed request whose body is not a stream at once, without delay, up to 4
  // times, under whatever Timeout and Domain the client's options hold by then (src/store/cos.ts
  // sets them per request). PutObject, the function's only call, is left to the store, which
  // retries with backoff within the invocation's deadline and moves to the backup domain itself;
  // the SDK still learns the clock's offset from a RequestTimeTooSkewed answer (getRetryInfo runs
  // before this test) for the store's next attempt. Other calls (the tests' and scripts' reads)
  // keep the SDK's retries.
  {
    file: 'cos-nodejs-sdk-v5/sdk/base.js',
    find: 'if (err && !(params.body && params.body.pipe) && !params.outputStream && tryTimes < 4 && canRetry) {',
    replace: "if (err && params.Action !== 'name/cos:PutObject' && !(params.body && params.body.pipe) && !params.outputStream && tryTimes < 4 && canRetry) {",
  },
  // Deleting a property that was not the last one added turns a V8 object into a dictionary:
  // cos-request deletes the `url` it has just read into `uri`, so that every request, with its 42
  // properties, is a hash table of about 3 KB instead of a fast object of about 0.4 KB, kept
  // while the PUT is in flight. Left undefined, it is read as absent, as before.
  {
    file: 'cos-request/request.js',
    find: '    self.uri = self.url\n    delete self.url\n',
    replace: '    self.uri = self.url\n    self.url = undefined\n',
  },
  // cos-request hands http.request a copy of every property of the request, its own state
  // included (about 40 for a PUT), and Node copies those options three times more (ClientRequest and
  // the agent's addRequest). Each copy is an object of that many properties, kept while the PUT
  // is in flight: with many PUTs in flight, every scavenge copies them. Left out, a PUT in flight
  // holds about 2 KB less, and with 64 in flight an event costs about 5% less CPU; one at a time,
  // too little to measure. What remains is every option Node reads (host, port, path, method,
  // headers, agent, TLS options), as before.
  {
    file: 'cos-request/request.js',
    find: 'var copy = helpers.copy\n',
    replace: `var copy = helpers.copy\nvar REQUEST_STATE = new Set(${JSON.stringify(REQUEST_STATE)})\n`,
  },
  {
    file: 'cos-request/request.js',
    find: '  var reqOptions = copy(self)\n',
    replace: '  var reqOptions = {}\n  Object.keys(self).forEach(function (key) { if (!REQUEST_STATE.has(key)) reqOptions[key] = self[key] })\n',
  },
];

/** `find` as a pattern that takes the package's CRLF line ends as well as LF. */
const pattern = (find: string) => new RegExp(find.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('\n', '\\r?\\n'), 'g');

/** A file as the function ships it; throws when a patch's text is not found exactly once. */
export function patchCosSdk(file: PatchedFile, source: string): string {
  return COS_SDK_PATCHES.filter((patch) => patch.file === file).reduce((text, { find, replace }) => {
    const count = text.match(pattern(find))?.length ?? 0;
    if (count !== 1) {
      throw new Error(`${file} holds ${count} copies of ${JSON.stringify(find)}, not one: the package changed; check scripts/build/cos-sdk-patch.ts against it`);
    }
    return text.replace(pattern(find), () => replace);
  }, source);
}

/** esbuild: patches each file as it is bundled, and fails the build if one was never met. */
export function cosSdkPatched(): Plugin {
  return {
    name: 'cos-sdk-patched',
    setup(b) {
      const patched = new Set<PatchedFile>();
      b.onLoad({ filter: ANY_PATCHED_FILE }, (args) => {
        const file = patchedFileAt(args.path)!;
        patched.add(file);
        return { contents: patchCosSdk(file, readFileSync(args.path, 'utf8')), loader: 'js' };
      });
      b.onEnd((result) => {
        const missing = PATCHED_FILES.filter((file) => !patched.has(file));
        return result.errors.length === 0 && missing.length > 0
          ? { errors: missing.map((file) => ({ text: `${file} was not bundled: the package changed; check scripts/build/cos-sdk-patch.ts against it` })) }
          : undefined;
      });
    },
  };
}

type Compile = (this: Module, content: string, filename: string) => unknown;

/**
 * The same patches for what runs the sources rather than the bundle (the tests, npm run invoke
 * and replay, through scripts/shipped-cos-sdk.ts), so that they run the SDK the function ships:
 * applied as Node compiles each file, which must not have been loaded yet.
 */
export function patchCosSdkOnRequire(): void {
  const proto = Module.prototype as unknown as { _compile: Compile & { cosSdkPatched?: true } };
  if (proto._compile.cosSdkPatched) return;
  const loaded = Object.keys(require.cache).find((path) => patchedFileAt(path));
  if (loaded) throw new Error(`${loaded} was loaded before its patches could be applied`);
  const compile = proto._compile;
  const patching: Compile = function (content, filename) {
    const file = patchedFileAt(filename);
    return compile.call(this, file ? patchCosSdk(file, content) : content, filename);
  };
  proto._compile = Object.assign(patching, { cosSdkPatched: true as const });
}
