import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors';
import { writeAll, type ObjectStore } from '../../src/store/store';
import { memoryStore } from '../support/doubles';

const objects = {
  first: { key: 'a', body: Buffer.from('{"a":1}'), md5: 'md5-a' },
  second: { key: 'b', body: Buffer.from('{"b":22}'), md5: 'md5-b' },
};

describe('writeAll', () => {
  it('writes every object and reports, under its name, its key and size', async () => {
    const store = memoryStore();
    await expect(writeAll(store, objects, { deadline: 1 })).resolves.toEqual({
      first: { key: 'a', bytes: 7 },
      second: { key: 'b', bytes: 8 },
    });
    expect([...store.objects.keys()]).toEqual(['a', 'b']);
    expect(store.calls.map((c) => c.options)).toEqual([{ deadline: 1 }, { deadline: 1 }]);
  });

  it('writes the objects in parallel', async () => {
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const store: ObjectStore = {
      async put(object) {
        started.push(object.key);
        await gate;
      },
    };
    const written = writeAll(store, objects, { deadline: 1 });
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a', 'b']);
    release();
    await expect(written).resolves.toMatchObject({ first: { key: 'a' }, second: { key: 'b' } });
  });

  it('waits for every write to settle before it throws the failure', async () => {
    let slowDone = false;
    const failure = new StorageError('boom', { key: 'a', retryable: true, code: 'InternalError' });
    const store: ObjectStore = {
      async put(object) {
        if (object.key === 'a') throw failure;
        await new Promise((r) => setTimeout(r, 20));
        slowDone = true;
      },
    };
    await expect(writeAll(store, objects, { deadline: 1 })).rejects.toThrow('boom');
    expect(slowDone).toBe(true);
  });
});
