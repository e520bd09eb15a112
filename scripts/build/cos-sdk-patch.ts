import { readFileSync } from 'node:fs';
import Module from 'node:module';
import type { Plugin } from 'esbuild';

/*
 * Two edits of the COS SDK's source (cos-nodejs-sdk-v5 3.0.0, sdk/base.js), made where it is
 * bundled, so that the package stays and only these lines change in what ships. Each must be
 * found exactly once: an SDK whose text has moved fails the build, not the function.
 * The naive handler of the benchmarks ships the SDK as it is.
 */

const COS_SDK_BASE = /[\\/]cos-nodejs-sdk-v5[\\/]sdk[\\/]base\.js$/;

interface SdkPatch {
  find: string;
  replace: string;
}

export const COS_SDK_PATCHES: SdkPatch[] = [
  // getRetryInfo reads err.error.Code when err is null, on every success: V8 throws a TypeError,
  // and parses the function again to word its message, which the SDK's catch then drops (about a
  // tenth of a PUT's CPU). Guarded, the block runs only when it can read something, as before.
  {
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
    find: 'if (err && !(params.body && params.body.pipe) && !params.outputStream && tryTimes < 4 && canRetry) {',
    replace: "if (err && params.Action !== 'name/cos:PutObject' && !(params.body && params.body.pipe) && !params.outputStream && tryTimes < 4 && canRetry) {",
  },
];

/** `find` as a pattern that takes the package's CRLF line ends as well as LF. */
const pattern = (find: string) => new RegExp(find.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('\n', '\\r?\\n'), 'g');

/** The SDK's base.js as the function ships it; throws when a patch's text is not found exactly once. */
export function patchCosSdk(source: string): string {
  return COS_SDK_PATCHES.reduce((text, { find, replace }) => {
    const count = text.match(pattern(find))?.length ?? 0;
    if (count !== 1) {
      throw new Error(`cos-nodejs-sdk-v5's sdk/base.js holds ${count} copies of ${JSON.stringify(find)}, not one: the SDK changed; check scripts/build/cos-sdk-patch.ts against it`);
    }
    return text.replace(pattern(find), () => replace);
  }, source);
}

/** esbuild: patches base.js as it is bundled, and fails the build if it was never met. */
export function cosSdkPatched(): Plugin {
  return {
    name: 'cos-sdk-patched',
    setup(b) {
      let patched = false;
      b.onLoad({ filter: COS_SDK_BASE }, (args) => {
        patched = true;
        return { contents: patchCosSdk(readFileSync(args.path, 'utf8')), loader: 'js' };
      });
      b.onEnd((result) =>
        result.errors.length === 0 && !patched
          ? { errors: [{ text: "cos-nodejs-sdk-v5's sdk/base.js was not bundled: the SDK changed; check scripts/build/cos-sdk-patch.ts against it" }] }
          : undefined,
      );
    },
  };
}

type Compile = (this: Module, content: string, filename: string) => unknown;

/**
 * The same patches for what runs the sources rather than the bundle (the tests, npm run invoke
 * and replay, through scripts/shipped-cos-sdk.ts), so that they run the SDK the function ships:
 * applied as Node compiles base.js, which must not have been loaded yet.
 */
export function patchCosSdkOnRequire(): void {
  const proto = Module.prototype as unknown as { _compile: Compile & { cosSdkPatched?: true } };
  if (proto._compile.cosSdkPatched) return;
  const loaded = Object.keys(require.cache).find((file) => COS_SDK_BASE.test(file));
  if (loaded) throw new Error(`${loaded} was loaded before its patches could be applied`);
  const compile = proto._compile;
  const patching: Compile = function (content, filename) {
    return compile.call(this, COS_SDK_BASE.test(filename) ? patchCosSdk(content) : content, filename);
  };
  proto._compile = Object.assign(patching, { cosSdkPatched: true as const });
}
