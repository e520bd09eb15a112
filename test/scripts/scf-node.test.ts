import { existsSync } from 'node:fs';
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
});
