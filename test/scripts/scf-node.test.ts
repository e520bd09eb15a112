import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT } from '../../scripts/build/bundle';
import { CACHE_DIR } from '../../scripts/cache';
import { SCF_NODE } from '../../scripts/scf-node';

describe("SCF's Node", () => {
  it('is kept outside the project, where `npm ci` does not delete it', () => {
    expect(SCF_NODE.startsWith(`${CACHE_DIR}/`)).toBe(true);
    expect(SCF_NODE.startsWith(`${PROJECT}/`)).toBe(false);
    // Fetched there by the tests' global set-up.
    expect(existsSync(SCF_NODE)).toBe(true);
  });

  it('says what it fetches, and where, before the long first download', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scf-node-'));
    try {
      // An npm that fails at once stands for the registry: what matters is what shows before it.
      await writeFile(join(dir, 'npm'), '#!/bin/sh\necho "registry unreachable" >&2\nexit 1\n');
      await chmod(join(dir, 'npm'), 0o755);
      const result = spawnSync(join(PROJECT, 'node_modules', '.bin', 'tsx'), ['-e', "require('./scripts/scf-node').fetchScfNode()"], {
        cwd: PROJECT,
        env: { PATH: `${dir}:${process.env.PATH}`, HOME: process.env.HOME, XDG_CACHE_HOME: join(dir, 'cache') },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.stderr).toContain(`Fetching SCF's Node (node-${process.platform}-${process.arch}@18.15.0, about 38 MB) from the npm registry into ${join(dir, 'cache', 'mps-cos-backup', 'scf-node')}`);
      expect(result.stderr).toContain('registry unreachable');
      expect(result.status).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
