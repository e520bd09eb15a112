import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zipFolder } from '../../../scripts/build/zip';

describe('zipFolder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zip-'));
    await mkdir(join(dir, 'lib'));
    await writeFile(join(dir, 'index.js'), 'module.exports = 1;');
    await writeFile(join(dir, 'lib', 'a.js'), 'a');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('puts the files at the root of the zip, sorted, with "/" separators', async () => {
    const { zip, entries } = await zipFolder(dir);
    expect(entries).toEqual(['index.js', 'lib/a.js']);
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual(['index.js', 'lib/a.js']);
    expect(strFromU8(files['index.js']!)).toBe('module.exports = 1;');
  });

  it('is byte-identical for the same files, whatever their times on disk', async () => {
    const first = await zipFolder(dir);
    await utimes(join(dir, 'index.js'), new Date('2030-01-01'), new Date('2030-01-01'));
    const second = await zipFolder(dir);
    expect(second.sha256).toBe(first.sha256);
    expect(Buffer.from(second.zip)).toEqual(Buffer.from(first.zip));
  });

  it('changes when a file does', async () => {
    const first = await zipFolder(dir);
    await writeFile(join(dir, 'lib', 'a.js'), 'b');
    expect((await zipFolder(dir)).sha256).not.toBe(first.sha256);
  });
});
