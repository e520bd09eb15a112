import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures');

export function fixture(path: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));
}

export function fixtureNames(dir: 'events' | 'invalid'): string[] {
  return readdirSync(join(FIXTURES, dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${dir}/${f}`);
}

/** The archive version 1 of the function wrote for a few events: each object's key and bytes. */
export function archiveV1(): { key: string; body: Buffer }[] {
  const root = join(FIXTURES, 'archive-v1');
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((path) => ({ key: relative(root, path), body: readFileSync(path) }));
}
