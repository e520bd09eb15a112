import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleNaive } from '../../../scripts/bench/variants';
import { cosSdkForms } from '../../support/minified-cos-sdk';

describe('the naive handler', () => {
  it('ships the COS SDK as published, without the edits of patches/', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'naive-'));
    try {
      const file = join(dir, 'naive.js');
      await bundleNaive(file);
      expect(cosSdkForms(await readFile(file, 'utf8'))).toEqual({ patched: [false, false], published: [true, true] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
