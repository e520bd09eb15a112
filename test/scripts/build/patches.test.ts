import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT } from '../../../scripts/build/bundle';
import { unpatchedFiles } from '../../../scripts/build/patches';

const BASE = 'node_modules/cos-nodejs-sdk-v5/sdk/base.js';

describe('unpatchedFiles', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** A project holding this one's patches/, and its base.js copied from `from` when given. */
  const project = (from?: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'patches-'));
    dirs.push(dir);
    cpSync(join(PROJECT, 'patches'), join(dir, 'patches'), { recursive: true });
    if (from) {
      mkdirSync(dirname(join(dir, BASE)), { recursive: true });
      cpSync(join(PROJECT, from), join(dir, BASE));
    }
    return dir;
  };

  it('finds none in node_modules as installed: npm ci applied every patch', () => {
    expect(unpatchedFiles(PROJECT)).toEqual([]);
  });

  it('names a file as published, or missing, and none once it is patched', () => {
    expect(unpatchedFiles(project('node_modules/cos-nodejs-sdk-v5-published/sdk/base.js'))).toEqual([BASE]);
    expect(unpatchedFiles(project())).toEqual([BASE]);
    expect(unpatchedFiles(project(BASE))).toEqual([]);
  });
});
