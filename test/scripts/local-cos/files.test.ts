import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore, UnsafeKeyError, type ObjectMeta } from '../../../scripts/local-cos/files';

const meta: ObjectMeta = { contentType: 'application/json', etag: '"x"', size: 2, storageClass: 'STANDARD', lastModified: new Date(0).toUTCString(), userMeta: {} };

describe('FileStore', () => {
  let root: string;
  let files: FileStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'files-'));
    files = new FileStore(root);
    await files.createBucket('b-1');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it.each(['../escape', 'a/../../escape', 'a//b', '/abs', 'a/./b', 'trailing/', ''])('refuses the key %j', async (key) => {
    await expect(files.put('b-1', key, Buffer.from('{}'), meta)).rejects.toThrow(UnsafeKeyError);
    expect(await readdir(join(root, '..')).then((names) => names.includes('escape'))).toBe(false);
  });

  it('keeps metadata in its own tree, so the bucket folder holds only objects', async () => {
    await files.put('b-1', 'x/y.json', Buffer.from('{}'), meta);
    expect(await readdir(join(root, 'b-1', 'x'))).toEqual(['y.json']);
    expect(JSON.parse(await readFile(join(root, '.meta', 'b-1', 'x', 'y.json.json'), 'utf8'))).toEqual(meta);
    expect(await files.list('b-1', '', '', 10)).toEqual({ objects: [{ key: 'x/y.json', meta }], prefixes: [], truncated: false });
  });

  it('makes a folder again when it was removed behind its back', async () => {
    await files.put('b-1', 'x/y.json', Buffer.from('{}'), meta);
    await rm(join(root, 'b-1', 'x'), { recursive: true });
    await rm(join(root, '.tmp'), { recursive: true });
    await files.put('b-1', 'x/z.json', Buffer.from('{"z":1}'), meta);
    expect(await files.get('b-1', 'x/z.json')).toEqual({ body: Buffer.from('{"z":1}'), meta });
  });

  it('lists in byte order of the key', async () => {
    for (const key of ['b', 'a/z', 'a-', 'a/b']) await files.put('b-1', key, Buffer.from('{}'), meta);
    expect((await files.list('b-1', '', '', 10)).objects.map((o) => o.key)).toEqual(['a-', 'a/b', 'a/z', 'b']);
  });
});
