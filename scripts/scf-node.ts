import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR } from './cache';

/*
 * SCF runs the function on Node 18.15 (runtime Nodejs18.15), older than the Node that builds and
 * tests it, and a package that needs a newer Node fails only there. So whatever loads the shipped
 * bundle (the artifact tests, the cold-start and memory benchmarks) runs it on SCF's Node: the
 * npm registry's build of it, fetched once into the cache of scripts/cache.ts. It is not a
 * devDependency, because its package links its binary as node_modules/.bin/node, which would put
 * every npm script on Node 18.
 */

export const SCF_NODE_VERSION = '18.15.0';
const PACKAGE = `node-${process.platform}-${process.arch}@${SCF_NODE_VERSION}`;
const DIR = join(CACHE_DIR, 'scf-node');
export const SCF_NODE = join(DIR, PACKAGE, 'node');

/** The path of SCF's Node binary, fetched from the npm registry the first time. */
export function fetchScfNode(): string {
  if (existsSync(SCF_NODE)) return SCF_NODE;
  // Half a minute or more on a slow link, with nothing else to show meanwhile.
  process.stderr.write(`Fetching SCF's Node (${PACKAGE}, about 38 MB) from the npm registry into ${DIR}, once...\n`);
  const started = Date.now();
  mkdirSync(DIR, { recursive: true });
  const work = mkdtempSync(join(DIR, 'fetching-'));
  try {
    const packed = execFileSync('npm', ['pack', PACKAGE, '--json', '--pack-destination', work], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
    execFileSync('tar', ['-xzf', join(work, filename), '-C', work, 'package/bin/node']);
    const version = execFileSync(join(work, 'package', 'bin', 'node'), ['--version'], { encoding: 'utf8' }).trim();
    if (version !== `v${SCF_NODE_VERSION}`) throw new Error(`the package holds Node ${version}`);
    mkdirSync(join(DIR, PACKAGE), { recursive: true });
    // A rename, so that a process fetching at the same time never runs a half-written binary.
    renameSync(join(work, 'package', 'bin', 'node'), SCF_NODE);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not fetch SCF's Node (${PACKAGE}) from the npm registry: ${detail}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stderr.write(`Fetched SCF's Node in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return SCF_NODE;
}
