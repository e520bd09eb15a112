import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { FUNCTION_DIR, PROJECT } from '../build/bundle';
import { packageFunction } from '../build/package';
import { zipFolder } from '../build/zip';
import { handlerOf, ZIP_LIMIT_BYTES } from '../tencent-api';
import { exclusively } from './lock';

/*
 * The code a deploy uploads: the folder serverless.yml names, packaged first when it is missing
 * or older than what it is built from, zipped as `npm run package` zips it (the same bytes), by
 * one process at a time: two deploys at once each packaged the folder again, one deleting it
 * while the other zipped it, and a zip missing files went up.
 */

/** Held by the deploy packaging and zipping the function's folder; it holds its process id. */
const DEPLOY_LOCK = join(PROJECT, 'dist', '.deploy.lock');

/** What the package is built from: the sources, the build, the locked dependencies, and the yml (its NODE_OPTIONS shape the code cache). */
const SOURCES = ['src', 'scripts/build', 'package-lock.json', 'serverless.yml'];

async function mtimes(path: string): Promise<number[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return [];
  if (!info.isDirectory()) return [info.mtimeMs];
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  return Promise.all(entries.filter((e) => e.isFile()).map(async (e) => (await stat(join(e.parentPath, e.name))).mtimeMs));
}

/** Why the function folder must be packaged again, or undefined when it is up to date. */
export async function stalePackage(project = PROJECT, functionDir = FUNCTION_DIR): Promise<string | undefined> {
  const built = await mtimes(functionDir);
  if (built.length === 0) return `${relative(project, functionDir)} is missing`;
  const sources = (await Promise.all(SOURCES.map((s) => mtimes(join(project, s))))).flat();
  return Math.max(...sources) > Math.min(...built) ? `${relative(project, functionDir)} is older than the sources` : undefined;
}

/** Packages the function when it is missing or stale, saying so. */
async function packageIfStale(say: (line: string) => void): Promise<void> {
  const why = await stalePackage();
  if (!why) return;
  say(`Packaging: ${why}`);
  const { zip, sha256 } = await packageFunction();
  say(`Packaged ${relative(PROJECT, FUNCTION_DIR)}: ${(zip.length / 1024).toFixed(1)} KB zipped, sha256 ${sha256}`);
}

/** `work` while no other deploy (nor invoke --packaged) packages or zips the function. */
function packagingAlone<T>(work: () => Promise<T>, say: (line: string) => void): Promise<T> {
  const waiting = (pid: number) => say(`Waiting for another deploy (process ${pid}) to package and zip ${relative(PROJECT, FUNCTION_DIR)}`);
  return exclusively(DEPLOY_LOCK, work, { waiting });
}

/** Packages the function when it is missing or stale, saying so; what invoke --packaged runs. */
export const ensurePackaged = (say: (line: string) => void) => packagingAlone(() => packageIfStale(say), say);

export interface Code {
  zip: Uint8Array;
  sha256: string;
  /** The folder it was zipped from, as the user would write it. */
  source: string;
}

/** The folder zipped, refused when it cannot be the function: empty, or without the handler's file at its root. */
export async function zipCode(srcDir: string, handler: string): Promise<Code> {
  const { zip, sha256, entries } = await zipFolder(srcDir);
  const source = relative(PROJECT, srcDir) || '.';
  if (entries.length === 0) throw new Error(`${source} holds no files to deploy`);
  const [file] = handlerOf(handler);
  if (!entries.includes(file)) throw new Error(`${source} has no ${file} at its root, the file of the handler ${handler}: src.src in serverless.yml names the folder npm run package writes, ./dist/function`);
  return { zip, sha256, source };
}

/** The zip to upload: the function packaged when it must be, then zipped, while no other deploy does either. */
export function packagedCode(srcDir: string, handler: string, say: (line: string) => void): Promise<Code> {
  return packagingAlone(async () => {
    await packageIfStale(say);
    return zipCode(srcDir, handler);
  }, say);
}

/** The API takes a zip inline only up to its limit: refused here, before anything is sent. */
export function checkZipSize(code: Code, action: keyof typeof ZIP_LIMIT_BYTES): void {
  const limit = ZIP_LIMIT_BYTES[action];
  if (code.zip.length <= limit) return;
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
  throw new Error(`${code.source} zips to ${mb(code.zip.length)}, over the ${mb(limit)} that ${action} takes inline: make the function smaller`);
}

export const describeCode = (code: Code) => `${code.source}, ${(code.zip.length / 1024).toFixed(1)} KB zipped, sha256 ${code.sha256.slice(0, 12)}`;
