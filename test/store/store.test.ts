import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors';
import { writeAll, type ObjectStore } from '../../src/store/store';
import { memoryStore } from '../support/doubles';

const objects = [
  { key: 'a', body: Buffer.from('{"a":1}'), md5: 'md5-a' },
  { key: 'b', body: Buffer.from('{"b":22}'), md5: 'md5-b' },
];

describe('writeAll', () => {
  it('writes every object and reports keys and sizes', async () => {
    const store = memoryStore();
    await expect(writeAll(store, objects, { deadline: 1 })).resolves.toEqual([
      { key: 'a', bytes: 7 },
      { key: 'b', bytes: 8 },
    ]);
    expect([...store.objects.keys()]).toEqual(['a', 'b']);
    expect(store.calls.map((c) => c.options)).toEqual([{ deadline: 1 }, { deadline: 1 }]);
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
